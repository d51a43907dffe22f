import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { DirectoryClient } from '../../../lib/wpsContactsSync/directoryClient';
import type { SourceMapping } from '../../../lib/wpsContactsSync/source';
import type { StateStore } from '../../../lib/wpsContactsSync/state/stateStore';
import { MySqlStateStore } from '../../../lib/wpsContactsSync/state/mysqlStateStore';
import type { SyncSettings } from '../../../lib/wpsContactsSync/preview';
import type { AdoptionKey, ConflictStrategy } from '../../../lib/wpsContactsSync/syncRules';
import type { UserField } from '../../../lib/wpsContactsSync/types';
import { wpsDirectory } from '../../../lib/wpsContactsSync/wpsDirectory';
import { coordinationFor } from '../../shared/coordination';
import { getMySqlCredential } from '../../shared/mysql';
import { type MySqlCredentialData, closePool, createPool, toConnectionError } from '../../../lib/mysql';
import {
	type Wps365Credential,
	clientOptionsFromCredential,
	createWpsContacts,
	readableFieldsOf,
} from '../../../lib/wps';

export interface NodeOptions {
	exIdPrefix?: string;
	adoptBy?: AdoptionKey[];
	allowEmptySource?: boolean;
	clearBlank?: UserField[];
	concurrency?: number;
	conflictStrategy?: ConflictStrategy;
	maxDeletions?: number;
	maxDeletionPercent?: number;
	maxChanges?: number;
	maxChangePercent?: number;
	operationItems?: 'all' | 'capped' | 'none';
	maxOperationItems?: number;
	graceDays?: number;
	lockWaitSec?: number;
	ratePerSecond?: number;
	tablePrefix?: string;
	unreadable?: UserField[];
	verifyTarget?: boolean;
}

export interface RunContext {
	client: DirectoryClient;
	targetKey: string;
	scopeDeptId: string;
	options: NodeOptions;
	store?: StateStore;
	close(): Promise<void>;
}

/** One target = one WPS app at one base URL, managing one scope: its state and lock are keyed by it. */
export function targetKeyOf(baseUrl: string, clientId: string, scopeDeptId: string): string {
	return createHash('sha256')
		.update(`${baseUrl.replace(/\/+$/, '')}|${clientId}|${scopeDeptId || 'root'}`)
		.digest('hex')
		.slice(0, 32);
}

export async function openRunContext(ctx: IExecuteFunctions, needsState: boolean): Promise<RunContext> {
	const options = ctx.getNodeParameter('options', 0, {}) as NodeOptions;
	const scopeDeptId = String(ctx.getNodeParameter('scopeDeptId', 0, '') ?? '').trim();
	const credential = (await ctx.getCredentials('wps365Api')) as unknown as Wps365Credential;
	const wpsOptions = clientOptionsFromCredential(credential, {
		ratePerSecond: options.ratePerSecond === 0 ? false : (options.ratePerSecond ?? 10),
	});
	const coordination = await coordinationFor(ctx);
	const client = wpsDirectory(createWpsContacts({ ...wpsOptions, coordination }), {
		readableFields: readableFieldsOf(credential),
	});
	const targetKey = targetKeyOf(wpsOptions.baseUrl ?? '', wpsOptions.clientId, scopeDeptId);
	if (!needsState) return { client, targetKey, scopeDeptId, options, close: async () => undefined };
	let mysql: MySqlCredentialData;
	try {
		mysql = await getMySqlCredential(ctx);
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			'A MySQL credential is required: the sync keeps its state (snapshots, disable dates, run progress) in MySQL',
			{
				description: 'Add a MySQL credential to this node. The state tables are created on first use.',
			},
		);
	}
	const pool = createPool(mysql, { connectionLimit: 4 });
	try {
		const store = await MySqlStateStore.open(pool, targetKey, options.tablePrefix || undefined);
		return { client, targetKey, scopeDeptId, options, store, close: () => closePool(pool) };
	} catch (error) {
		await closePool(pool);
		throw toConnectionError(error, mysql);
	}
}

export function syncSettings(ctx: IExecuteFunctions, run: RunContext): SyncSettings {
	const o = run.options;
	return {
		targetKey: run.targetKey,
		scopeDeptId: run.scopeDeptId,
		mode: ctx.getNodeParameter('mode', 0, 'incremental') as 'full' | 'incremental',
		fullEvery: Number(ctx.getNodeParameter('fullEvery', 0, 7)),
		graceDays: o.graceDays ?? 30,
		conflictStrategy: o.conflictStrategy ?? 'sourceWins',
		adoptBy: o.adoptBy ?? [],
		unreadable: o.unreadable ?? [],
		thresholds: {
			maxDeletions: o.maxDeletions ?? 500,
			maxDeletionPercent: o.maxDeletionPercent ?? 10,
			maxChanges: o.maxChanges ?? 1000,
			maxChangePercent: o.maxChangePercent ?? 20,
		},
		allowEmptySource: o.allowEmptySource ?? false,
		clearBlank: o.clearBlank ?? [],
		now: Date.now,
	};
}

export function sourceMapping(ctx: IExecuteFunctions): SourceMapping {
	const p = (name: string) => String(ctx.getNodeParameter(name, 0, '') ?? '').trim();
	const fields: SourceMapping['user']['fields'] = {};
	const set = (field: UserField, column: string) => {
		if (column) fields[field] = column;
	};
	set('email', p('userEmailColumn'));
	set('phone', p('userPhoneColumn'));
	set('employee_id', p('userEmployeeIdColumn'));
	set('title', p('userTitleColumn'));
	const extra = (ctx.getNodeParameter('extraAttributes', 0, {}) as IDataObject).attribute as
		| { field: UserField; column: string }[]
		| undefined;
	for (const a of extra ?? []) set(a.field, String(a.column ?? '').trim());
	// Optional columns: one left empty is not read (undefined).
	const optional = <K extends string>(params: Record<K, string>): Partial<Record<K, string>> => {
		const columns: Partial<Record<K, string>> = {};
		for (const key in params) columns[key] = p(params[key]) || undefined;
		return columns;
	};
	return {
		dept: {
			id: p('deptIdColumn'),
			parentId: p('deptParentColumn'),
			name: p('deptNameColumn'),
			...optional({ order: 'deptOrderColumn', updatedAt: 'deptUpdatedColumn' }),
		},
		user: {
			id: p('userIdColumn'),
			name: p('userNameColumn'),
			deptIds: p('userDeptsColumn'),
			...optional({ mainDeptId: 'userMainDeptColumn', leader: 'userLeaderColumn', updatedAt: 'userUpdatedColumn' }),
			fields,
		},
		exIdPrefix: String((ctx.getNodeParameter('options', 0, {}) as NodeOptions).exIdPrefix ?? ''),
		rootParentValues: p('rootParentValues')
			.split(',')
			.map((v) => v.trim())
			.filter(Boolean),
	};
}
