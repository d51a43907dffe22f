import * as mysql from 'mysql2/promise';

/** Fails fast, with a hint, when the MariaDB that node tests need does not answer. */
export default async function globalSetup(): Promise<void> {
	if (!process.env.MYSQL_HOST) {
		throw new Error('MYSQL_HOST is not set: run `npm test` (or `bash scripts/with-mariadb.sh npx jest ...`)');
	}
	const connection = await mysql.createConnection({
		host: process.env.MYSQL_HOST,
		port: Number(process.env.MYSQL_PORT ?? 3306),
		user: process.env.MYSQL_USER ?? 'root',
		password: process.env.MYSQL_PASSWORD ?? '',
	});
	await connection.query('SELECT 1');
	await connection.end();
}
