import { randomBytes } from 'crypto';
import * as mysql from 'mysql2/promise';

/** The admin login of the test server, exported by scripts/mariadb.sh (npm test sets it up). */
export function adminConnectionOptions(
	hint = 'run tests through `npm test` (scripts/with-mariadb.sh starts or finds a MariaDB)',
): mysql.ConnectionOptions {
	if (!process.env.MYSQL_HOST) throw new Error(`MYSQL_HOST is not set: ${hint}`);
	return {
		host: process.env.MYSQL_HOST,
		port: Number(process.env.MYSQL_PORT ?? 3306),
		user: process.env.MYSQL_USER ?? 'root',
		password: process.env.MYSQL_PASSWORD ?? '',
		multipleStatements: true,
	};
}

/** Credential data in the shape of our MySQL credential (`mySqlApi`). */
export interface MySqlCredentialData {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	ssl: 'disabled' | 'required' | 'verify';
	caCertificate?: string;
	timezone: string;
	connectTimeout: number;
	[key: string]: string | number | undefined;
}

export interface TestDatabase {
	name: string;
	credentials: MySqlCredentialData;
	/** An admin connection with the test database selected (for setup and assertions). */
	admin: mysql.Connection;
	drop(): Promise<void>;
}

/**
 * A uniquely named database and user for one test file; the machine's server outlives the run, so
 * `drop()` removes both.
 */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
	const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
	const name = `${prefix}_${suffix}`.slice(0, 60);
	const user = `u_${suffix}`.slice(0, 32);
	const password = `pw_${randomBytes(9).toString('hex')}`;
	const root = await mysql.createConnection(adminConnectionOptions());
	await root.query(`CREATE DATABASE \`${name}\``);
	for (const host of ['127.0.0.1', 'localhost', '%']) {
		await root.query(`CREATE USER ?@? IDENTIFIED BY ?`, [user, host, password]);
		await root.query(`GRANT ALL ON \`${name}\`.* TO ?@?`, [user, host]);
		// Named locks and session counters need no extra grant; PROCESS lets tests read server status.
		await root.query(`GRANT PROCESS ON *.* TO ?@?`, [user, host]);
	}
	await root.query(`USE \`${name}\``);
	const opts = adminConnectionOptions();
	return {
		name,
		admin: root,
		credentials: {
			host: opts.host as string,
			port: opts.port as number,
			database: name,
			user,
			password,
			ssl: 'disabled',
			timezone: '+08:00',
			connectTimeout: 10000,
		},
		async drop() {
			await root.query(`DROP DATABASE IF EXISTS \`${name}\``);
			for (const host of ['127.0.0.1', 'localhost', '%']) {
				await root.query(`DROP USER IF EXISTS ?@?`, [user, host]);
			}
			await root.end();
		},
	};
}
