import type { INodeProperties } from 'n8n-workflow';

/** Output options shared by the operations that return rows. */
export const valueOptions: INodeProperties[] = [
	{
		displayName: 'Exact Numbers As',
		name: 'numbers',
		type: 'options',
		options: [
			{
				name: 'Text (Exact)',
				value: 'text',
				description:
					'Every BIGINT (COUNT(*) too) and DECIMAL value comes out as text, exactly as stored: "42" as well as "9007199254740993"',
			},
			{
				name: 'Number (May Round)',
				value: 'number',
				description:
					'Every BIGINT and DECIMAL value is a JavaScript number; digits beyond 15-17 significant digits are lost',
			},
		],
		default: 'text',
		description:
			"One type per column in every row, as n8n's MySQL node with Output Large-Format Numbers As: Text. INT and smaller, FLOAT and DOUBLE are always numbers.",
	},
	{
		displayName: 'Binary Columns As',
		name: 'binary',
		type: 'options',
		options: [
			{ name: 'Base64 Text', value: 'base64', description: 'BLOB/BINARY values as base64 text in the JSON' },
			{
				name: 'Binary Data',
				value: 'buffer',
				description: 'BLOB/BINARY values as binary data named after the column',
			},
		],
		default: 'base64',
	},
];

/** Which operations use a named watermark. */
export const WATERMARK_OPERATIONS = ['readChanges', 'commitWatermark', 'resetWatermark'];

/** Name and store of a watermark: Read Changes, Commit Watermark and Reset Watermark must agree on both. */
export const watermarkStoreFields: INodeProperties[] = [
	{
		displayName: 'Watermark Name',
		name: 'watermarkName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. orders',
		description: 'Names the watermark that Read Changes, Commit Watermark and Reset Watermark share',
		displayOptions: { show: { operation: WATERMARK_OPERATIONS } },
	},
	{
		displayName: 'Watermark Store',
		name: 'watermarkStore',
		type: 'options',
		options: [
			{
				name: 'Workflow Static Data',
				value: 'staticData',
				description: 'Kept by n8n with the workflow; saved by production executions only',
			},
			{
				name: 'MySQL Table',
				value: 'mysqlTable',
				description: 'A small state table in a MySQL database: works for manual runs and queue-mode workers',
			},
		],
		default: 'staticData',
		displayOptions: { show: { operation: WATERMARK_OPERATIONS } },
	},
	{
		displayName:
			'Workflow static data is saved only by production executions (trigger, schedule, webhook). A manual run from the editor keeps nothing: it reads the same rows again and its commit is not saved. Choose the MySQL Table store to keep watermarks from manual runs too.',
		name: 'staticDataNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: WATERMARK_OPERATIONS, watermarkStore: ['staticData'] } },
	},
	{
		displayName: 'State Database',
		name: 'stateDatabase',
		type: 'string',
		default: '',
		description: "Database of the state table (empty: the credential's database)",
		displayOptions: { show: { operation: WATERMARK_OPERATIONS, watermarkStore: ['mysqlTable'] } },
	},
	{
		displayName: 'State Table',
		name: 'stateTable',
		type: 'string',
		default: 'n8n_watermarks',
		description: 'Created if missing; one row per watermark name (names are shared by every workflow using the table)',
		displayOptions: { show: { operation: WATERMARK_OPERATIONS, watermarkStore: ['mysqlTable'] } },
	},
];
