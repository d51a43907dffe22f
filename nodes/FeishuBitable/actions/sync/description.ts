import type { INodeProperties } from 'n8n-workflow';
import { columnsProperties, mappingProperties } from '../common';

const show = { resource: ['sync'] };

export const syncProperties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'upsert',
		displayOptions: { show },
		options: [
			{
				name: 'Clone',
				value: 'clone',
				description:
					'Make the table equal to the input: every other record is deleted, changed records are recreated (new record IDs, columns not mapped are lost)',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{
				name: 'Insert Only',
				value: 'insert',
				description: 'Create records for new keys; existing records are left as they are',
			},
			{
				name: 'Mirror',
				value: 'mirror',
				description:
					'Upsert, then delete records whose key is not in the input (stopped before any write when it would delete more than the limits in Options)',
			},
			{
				name: 'Overwrite',
				value: 'overwrite',
				description:
					'Replace records whose key is in the input: they are deleted and created again, so their record IDs change and columns not mapped are emptied',
			},
			{
				name: 'Prune',
				value: 'prune',
				description:
					'The input holds every current key (e.g. SELECT order_no FROM orders): delete records whose key is absent, under the same limits as Mirror',
			},
		],
	},
	{
		displayName:
			'Only changed records are written, and only the mapped fields: columns of the table that the input does not map are never touched, so people can keep their own columns beside the synced ones.',
		name: 'selectiveNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, mode: ['upsert', 'insert', 'mirror'] } },
	},
	{
		displayName:
			"Overwrite and Clone replace whole records: record IDs change and fields that are not mapped are emptied. Use Upsert to keep people's own columns.",
		name: 'replaceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, mode: ['overwrite', 'clone'] } },
	},
	{
		displayName: 'Key Field Names or IDs',
		name: 'keyFields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['base.value', 'table.value'] },
		default: [],
		required: true,
		description:
			'The field (or fields, for a composite key) that identifies a record. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { ...show, '@version': [1] } },
	},
	...mappingProperties(show),
	...columnsProperties(show, 'upsert'),
	{
		displayName: 'Table Lock',
		name: 'tableLock',
		type: 'options',
		default: 'process',
		description:
			'Bitable has no unique key: two syncs of one table running at once could both create the same key. The lock makes them take turns.',
		displayOptions: { show },
		options: [
			{ name: 'Within This Process', value: 'process', description: 'Enough for one n8n instance (not queue mode)' },
			{
				name: 'MySQL Named Lock',
				value: 'mysql',
				description: 'Across n8n workers (queue mode): uses a MySQL credential',
			},
			{
				name: 'None (Unsafe)',
				value: 'none',
				description: 'Only when nothing else can sync this table at the same time',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'syncOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Allow Private Network URLs',
				name: 'allowPrivateNetwork',
				type: 'boolean',
				default: false,
				description:
					'Whether attachment URLs in the input may point at private, loopback or link-local addresses (your own network). Off, such URLs are refused, so a URL in an item cannot make n8n fetch from its own host.',
			},
			{
				displayName: 'Attachments From Binary',
				name: 'binaryAttachments',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description: "Attachment fields filled from the items' binary data (URLs in the input are downloaded instead)",
				options: [
					{
						name: 'map',
						displayName: 'Attachment',
						values: [
							{ displayName: 'Field Name', name: 'field', type: 'string', default: '' },
							{ displayName: 'Binary Property', name: 'binaryProperty', type: 'string', default: 'data' },
						],
					},
				],
			},
			{
				displayName: 'Batch Size: Create',
				name: 'createBatchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 1000,
				description: 'Records per create call (Feishu allows 1000)',
			},
			{
				displayName: 'Batch Size: Delete',
				name: 'deleteBatchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 500 },
				default: 500,
				description: 'Records per delete call (Feishu allows 500)',
			},
			{
				displayName: 'Batch Size: Update',
				name: 'updateBatchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 1000,
				description: 'Records per update call (Feishu allows 1000)',
			},
			{
				displayName: 'Create Missing Fields',
				name: 'createMissingFields',
				type: 'boolean',
				default: false,
				description: 'Whether to add mapped fields the table lacks (existing fields never change type)',
			},
			{
				displayName: 'Dedupe Table',
				name: 'dedupe',
				type: 'boolean',
				default: false,
				description: 'Whether to delete extra records that share a key (the one closest to the input is kept)',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to only output the plan (counts and a sample) without writing anything',
			},
			{
				displayName: 'Duplicate Keys in Input',
				name: 'duplicateInputKeys',
				type: 'options',
				default: 'error',
				options: [
					{ name: 'Stop With an Error', value: 'error' },
					{ name: 'Last One Wins', value: 'lastWins' },
				],
			},
			{
				displayName: 'Field Types for New Fields',
				name: 'strategy',
				type: 'options',
				default: 'base',
				options: [
					{ name: 'Raw (Everything as Text)', value: 'raw' },
					{ name: 'Base (Text, Number, Date, Checkbox)', value: 'base' },
					{ name: 'Auto (Also Selects, URL, Phone, Email)', value: 'auto' },
					{
						name: 'Intelligence (Whole Column: Also Yes/No and 0/1 Flags, Epoch Dates, Tag Lists)',
						value: 'intelligence',
						description: 'Reads every value of the column: the README table says what it infers from what',
					},
				],
			},
			{
				displayName: 'Full Read Every N Runs',
				name: 'fullReadEvery',
				type: 'number',
				default: 24,
				displayOptions: { show: { readOnlyChanges: [true] } },
				description:
					'With Read Only Changes: read the whole table every this many runs, which also catches records deleted in Feishu between runs (0 = only when needed)',
			},
			{
				displayName: 'Full Read This Run',
				name: 'fullRead',
				type: 'boolean',
				default: false,
				displayOptions: { show: { readOnlyChanges: [true] } },
				description:
					'Whether this run reads the whole table and refreshes the snapshot (e.g. after many records were deleted in Feishu)',
			},
			{
				displayName: 'Lock Timeout (Seconds)',
				name: 'lockTimeoutSec',
				type: 'number',
				default: 300,
				description: 'How long to wait for another sync of the same table to finish',
			},
			{
				displayName: 'Max Delete Percent',
				name: 'maxDeletePercent',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 20,
				description:
					'The sync stops before writing anything when it would delete more than this share of the table: records absent from the input (Mirror, Prune), flagged by the soft-delete property, or removed by Clone (100 = no limit)',
			},
			{
				displayName: 'Max Deletes',
				name: 'maxDeleteCount',
				type: 'number',
				default: 1000,
				description:
					'The sync stops before writing anything when it would delete more records than this: absent from the input (Mirror, Prune), flagged by the soft-delete property, or removed by Clone (-1 = no limit)',
			},
			{
				displayName: 'Monthly Call Budget',
				name: 'monthlyCallBudget',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					"Feishu caps an app's API calls per month. With a budget, the sync refuses to start (before its first call) once the app has made this many calls this month (Asia/Shanghai); the summary always reports the month's calls. Counted in this n8n process, or for every process in MySQL when Table Lock is MySQL Named Lock (0 = no budget).",
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'summary',
				options: [
					{ name: 'Summary Only', value: 'summary' },
					{
						name: 'One Item per Input, Then the Summary',
						value: 'each',
						description: 'Each item carries record_id and the action taken (store record_id for later steps)',
					},
				],
			},
			{
				displayName: 'Read Only Changes',
				name: 'readOnlyChanges',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep a snapshot of the table (record ID, key and a hash of the mapped values) and, on later runs, read only records modified since the last run. Needs a "Modified time" field in the table. An unchanged re-sync of 100,000 rows then costs 3 calls; records deleted in Feishu are caught by a size check, or by the full read every N runs; nothing is deleted without a full read first. Kept in MySQL (table bitable_sync_snapshots, shared by every worker) when Table Lock is MySQL Named Lock, else with the workflow.',
			},
			{
				displayName: 'Request Timeout (Ms)',
				name: 'requestTimeoutMs',
				type: 'number',
				default: 30000,
				description:
					'Per Feishu call; a call that takes longer is retried (creates safely, with the same client token)',
			},
			{
				displayName: 'Run Log Table (MySQL)',
				name: 'runLogTable',
				type: 'string',
				default: '',
				placeholder: 'sync_logs',
				description:
					'Append one row per run (start, end, status, counts, API calls, error, execution ID) to this MySQL table, created on first use. Uses the MySQL credential: set Table Lock to "MySQL Named Lock".',
			},
			{
				displayName: 'Soft-Delete Property',
				name: 'softDeleteProperty',
				type: 'string',
				default: '',
				placeholder: 'is_deleted',
				description: 'Input property that flags a deleted row (true, 1, yes): its record is deleted instead of written',
			},
			{
				displayName: 'Verify',
				name: 'verify',
				type: 'boolean',
				default: false,
				description: 'Whether to read the written records back and stop with the differences if any',
			},
		],
	},
];
