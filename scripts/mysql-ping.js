// Exit 0 when a MySQL/MariaDB server answers with the given login: node mysql-ping.js host port user [password]
const mysql = require('mysql2/promise');
const [host, port, user, password = ''] = process.argv.slice(2);
mysql
	.createConnection({ host, port: Number(port), user, password, connectTimeout: 2000 })
	.then(async (c) => {
		await c.query('SELECT 1');
		await c.end();
		process.exit(0);
	})
	.catch(() => process.exit(1));
