import { DEFAULT_UTC_OFFSET } from '../lib/defaults';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A MySQL / MariaDB login. "Test" runs through the MySQL Query node's `mySqlConnectionTest`
 * (connects and runs SELECT 1).
 */
export class MySqlApi implements ICredentialType {
	name = 'mySqlApi';

	displayName = 'MySQL (Feishu/WPS Sync) API';

	icon = 'file:mySqlApi.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-feishu-wps-sync/n8n-nodes-feishu-wps-sync#mysql-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			required: true,
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 3306,
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: '',
			description: 'Database used when a query does not name one',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disabled', value: 'disabled', description: 'Plain connection' },
				{
					name: 'Required',
					value: 'required',
					description: 'Encrypted; the server certificate is not checked',
				},
				{
					name: 'Verify (CA)',
					value: 'verify',
					description: 'Encrypted; the server certificate must be signed by the CA below',
				},
			],
			default: 'disabled',
		},
		{
			displayName: 'CA Certificate',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description: 'PEM of the certificate authority that signed the server certificate (empty: the system CAs)',
			displayOptions: { show: { ssl: ['verify'] } },
		},
		{
			displayName: 'Time Zone',
			name: 'timezone',
			type: 'string',
			default: DEFAULT_UTC_OFFSET,
			description:
				'Time zone of the data: the session runs in it, and DATETIME/TIMESTAMP values come out as ISO 8601 with its offset. A UTC offset such as +08:00, or a zone name such as Asia/Shanghai.',
		},
		{
			displayName: 'Connect Timeout',
			name: 'connectTimeout',
			type: 'number',
			default: 10000,
			description: 'Milliseconds to wait for the server when connecting',
		},
	];
}
