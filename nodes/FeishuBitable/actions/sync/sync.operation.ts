/**
 * Sync: the whole input is one sync of one table (plan first, then write only what changed). Reads parameters,
 * builds the request, calls lib/bitableSync, turns the result into items; the run log records every run.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { runSync, sessionClient, type SyncMode } from '../../../../lib/bitableSync';
import { failedItem } from '../../../shared/failedItem';
import { getFeishuSession } from '../../../shared/feishu/session';
import { resolveTable } from '../../../shared/feishu/tableLocator';
import { toNodeError } from '../../../shared/errors';
import { isManualMapping, syncKeyFields } from '../../helpers/mapping';
import { checkSyncBudget, syncMonthSpend } from '../../helpers/syncBudget';
import { downloader, inputItems, numericOptions, toItems } from '../../helpers/syncItems';
import { tableLockFor } from '../../helpers/syncLock';
import { syncRunLog, type SyncRunLog } from '../../helpers/syncRunLog';
import { keepSnapshot, snapshotRequest } from '../../helpers/syncSnapshot';
import { columnsProperties, mappingProperties } from '../common.descriptions';
import {
	allowPrivateNetworkProperty,
	monthlyCallBudgetProperty,
	REFUSED_ITEM_URLS,
} from '../../../shared/descriptions';
import { runLogTableProperty } from '../../../shared/runLog';

const show = { resource: ['sync'] };

export const description: INodeProperties[] = [
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
			allowPrivateNetworkProperty('attachment URLs in the input', REFUSED_ITEM_URLS),
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
			monthlyCallBudgetProperty(
				"Feishu caps an app's API calls per month. With a budget, the sync refuses to start (before its first call) once the app has made this many calls this month (Asia/Shanghai); the summary always reports the month's calls. Counted in this n8n process, or for every process in MySQL when Table Lock is MySQL Named Lock (0 = no budget).",
			),
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
			runLogTableProperty(
				'Append one row per run (start, end, status, counts, API calls, error, execution ID) to this MySQL table, created on first use. Uses the MySQL credential: set Table Lock to "MySQL Named Lock".',
			),
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

/** Attachment hashes kept between runs, per table (bounded). */
const MAX_KEPT_HASHES = 20_000;

/** One sync over all items; the run log (when set) gets its outcome, a failure included. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let runLog: SyncRunLog | undefined;
	try {
		runLog = await syncRunLog(this);
		const out = await syncOnce(this);
		await runLog?.write(out, undefined);
		return out;
	} catch (error) {
		await runLog?.write(undefined, error);
		if (!this.continueOnFail()) throw error;
		return [
			[
				failedItem(
					this.getNode(),
					error,
					this.getInputData().map((_, item) => ({ item })),
				),
			],
		];
	}
}

async function syncOnce(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const options = ctx.getNodeParameter('syncOptions', 0, {}) as IDataObject;
	const limits = numericOptions(ctx.getNode(), options);
	const keyFields = syncKeyFields(ctx);
	if (!keyFields.length) {
		// An expression that gives nothing must not reach the sync: every record would share one empty key.
		throw new NodeOperationError(
			ctx.getNode(),
			`Item 0: "${ctx.getNode().typeVersion >= 2 ? 'Key Fields (Columns to Match On)' : 'Key Field Names or IDs'}" is empty`,
			{
				itemIndex: 0,
				description:
					'Nothing was read or written. Pick the field (or fields) that identifies a record; if it is an expression, check that it gives field names.',
			},
		);
	}
	try {
		const session = await getFeishuSession(ctx, { timeoutMs: limits.requestTimeoutMs });
		await checkSyncBudget(ctx, session, options);
		const table = await resolveTable(ctx, session, 0);
		const mode = ctx.getNodeParameter('mode', 0) as SyncMode;
		const lock = await tableLockFor(
			ctx,
			ctx.getNodeParameter('tableLock', 0, 'process') as string,
			limits.lockTimeoutSec,
		);
		const staticData = ctx.getWorkflowStaticData('node');
		const hashKey = `attachmentHashes:${table.appToken}/${table.tableId}`;
		const continueOnFail = ctx.continueOnFail();
		const result = await runSync(
			sessionClient(session),
			{
				appToken: table.appToken,
				tableId: table.tableId,
				mode,
				dryRun: !!options.dryRun,
				keyFields,
				items: await inputItems(ctx, items, options),
				createMissingFields: !!options.createMissingFields,
				strategy: (options.strategy as 'raw' | 'base' | 'auto') ?? 'base',
				duplicateInputKeys: (options.duplicateInputKeys as 'error' | 'lastWins') ?? 'error',
				dedupe: !!options.dedupe,
				thresholds: { maxDeleteCount: limits.maxDeleteCount, maxDeletePercent: limits.maxDeletePercent },
				continueOnFail,
				verify: !!options.verify,
				batchSizes: { create: limits.createBatchSize, update: limits.updateBatchSize, delete: limits.deleteBatchSize },
				timeZone: session.timeZone,
				attachmentHashes: (staticData[hashKey] as Record<string, string>) ?? {},
				downloadUrl: downloader(options),
				snapshot: await snapshotRequest(ctx, staticData, options, table),
			},
			{ lock, missingFields: isManualMapping(ctx) ? 'error' : 'ignore' },
		);
		// every call of this execution, the wiki link resolution included
		result.summary.apiCalls = session.calls;
		const hashes = Object.entries(result.attachmentHashes);
		if (hashes.length) staticData[hashKey] = Object.fromEntries(hashes.slice(-MAX_KEPT_HASHES));
		if (!options.dryRun) await keepSnapshot(ctx, staticData, options, table, result);
		result.summary.monthCalls = await syncMonthSpend(ctx, session, options).catch(() => undefined);
		return [
			toItems(ctx.getNode(), result, String(options.output ?? 'summary'), items.length, continueOnFail, {
				appToken: table.appToken,
				tableId: table.tableId,
			}),
		];
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	}
}
