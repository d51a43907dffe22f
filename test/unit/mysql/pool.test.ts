import { connectionOptions, normalisePem, sslOptions } from '../../../lib/mysql';

const cred = { host: 'db', port: 3306, user: 'u', password: 'p' };

test('SSL off / required / verify against the CA', () => {
	expect(sslOptions({ ...cred, ssl: 'disabled' })).toBeUndefined();
	expect(sslOptions({ ...cred, ssl: 'required' })).toEqual({ rejectUnauthorized: false });
	expect(
		sslOptions({
			...cred,
			ssl: 'verify',
			caCertificate: '-----BEGIN CERTIFICATE----- QUJD REVG -----END CERTIFICATE-----',
		}),
	).toEqual({
		rejectUnauthorized: true,
		verifyIdentity: false,
		ca: '-----BEGIN CERTIFICATE-----\nQUJDREVG\n-----END CERTIFICATE-----',
	});
});

test('a PEM pasted without line breaks gets them back; a proper one is kept', () => {
	const body = 'A'.repeat(100);
	expect(normalisePem(`-----BEGIN CERTIFICATE-----${body}-----END CERTIFICATE-----`)).toBe(
		`-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n${'A'.repeat(36)}\n-----END CERTIFICATE-----`,
	);
	const proper = '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----';
	expect(normalisePem(proper)).toBe(proper);
});

test('driver options: exact numbers, dates as text, one statement per call, the credential offset', () => {
	expect(connectionOptions({ ...cred, timezone: 'Asia/Shanghai', connectTimeout: 1234 })).toMatchObject({
		supportBigNumbers: true,
		bigNumberStrings: false,
		decimalNumbers: false,
		dateStrings: true,
		multipleStatements: false,
		timezone: '+08:00',
		connectTimeout: 1234,
	});
});
