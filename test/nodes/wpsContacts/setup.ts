import { readableFor, seedApp } from '../../unit/wpsContactsSync/fixtures';
import type { IDataObject } from 'n8n-workflow';
import {
	HarnessNodeTypes,
	MANUAL_TRIGGER,
	type RunResult,
	type TestDatabase,
	WorkflowRunner,
	createTestDatabase,
} from '../../harness';
import { WpsContacts } from '../../../nodes/WpsContacts/WpsContacts.node';
import { startWpsEmulator, type WpsEmulator } from '../../emulators/wps';
import { type WpsContacts as WpsClient, clearTokenCache, createWpsContacts } from '../../../lib/wps';

export const nodeTypes = new HarnessNodeTypes();
export const WPS_TYPE = nodeTypes.register(WpsContacts);

export interface NodeEnv {
	emu: WpsEmulator;
	db: TestDatabase;
	clientId: string;
	rootId: string;
	credentials: Record<string, IDataObject>;
	close(): Promise<void>;
}

/** A WPS tenant on the emulator (rate limit off) and a fresh MySQL database for the sync state. */
export async function startNodeEnv(
	opts: { emu?: WpsEmulator; db?: TestDatabase; scopes?: string[]; newUserStatus?: 'active' | 'notactive' } = {},
): Promise<NodeEnv> {
	const emu = opts.emu ?? (await startWpsEmulator({ rateLimits: 'off' }));
	const db = opts.db ?? (await createTestDatabase('wps'));
	const { clientId, rootDeptId } = await seedApp(emu, 'node', {
		scopes: opts.scopes,
		newUserStatus: opts.newUserStatus,
	});
	return {
		emu,
		db,
		clientId,
		rootId: rootDeptId,
		credentials: {
			wps365Api: {
				clientId,
				clientSecret: 'secret',
				baseUrl: emu.baseUrl,
				signing: false,
				readableFields: readableFor(opts.scopes),
			},
			mySqlApi: db.credentials as unknown as IDataObject,
		},
		close: async () => {
			clearTokenCache();
			if (!opts.db) await db.drop();
			if (!opts.emu) await emu.close();
		},
	};
}

export const MAPPING = {
	deptIdColumn: 'id',
	deptParentColumn: 'parent_id',
	deptNameColumn: 'name',
	userIdColumn: 'id',
	userNameColumn: 'name',
	userDeptsColumn: 'dept_ids',
	userEmailColumn: 'email',
	userTitleColumn: 'title',
};

/** Departments and Users come from two NoOp nodes whose output the test pins. */
export function syncWorkflow(parameters: IDataObject, options: IDataObject = {}): WorkflowRunner {
	return new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{ name: 'Departments', type: 'n8n-nodes-base.noOp' },
			{ name: 'Users', type: 'n8n-nodes-base.noOp' },
			{
				name: 'WPS',
				type: WPS_TYPE,
				parameters: {
					...MAPPING,
					...parameters,
					options: { ratePerSecond: 0, maxDeletionPercent: 0, lockWaitSec: 5, ...options },
				} as never,
				credentials: ['wps365Api', 'mySqlApi'],
			},
		],
		connections: [
			['Start', 'Departments'],
			['Start', 'Users'],
			['Departments', 'WPS', 0, 0],
			['Users', 'WPS', 0, 1],
		],
	});
}

/** Plan items go in through one NoOp (the place where a workflow would approve or edit them). */
export function applyWorkflow(options: IDataObject = {}): WorkflowRunner {
	return new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{ name: 'Plan', type: 'n8n-nodes-base.noOp' },
			{
				name: 'WPS',
				type: WPS_TYPE,
				parameters: { operation: 'applyPlan', options: { ratePerSecond: 0, lockWaitSec: 5, ...options } } as never,
				credentials: ['wps365Api', 'mySqlApi'],
			},
		],
		connections: [
			['Start', 'Plan'],
			['Plan', 'WPS'],
		],
	});
}

export type Row = Record<string, unknown>;

export function rows(depts: [string, string, string][], users: [string, string, string, Row?][]) {
	return {
		Departments: depts.map(([id, parent_id, name]) => ({ id, parent_id, name })),
		Users: users.map(([id, name, dept_ids, extra]) => ({ id, name, dept_ids, email: '', title: '', ...(extra ?? {}) })),
	};
}

/** A file's emulator, state database and tenant, with the runs its tests make. */
export interface NodeKit {
	readonly emu: WpsEmulator;
	readonly db: TestDatabase;
	readonly env: NodeEnv;
	/** The tenant as WPS holds it. */
	dump(): ReturnType<WpsEmulator['admin']['dump']>;
	/** Preview or Sync (as `parameters` say) of these Departments and Users rows. */
	run(parameters: IDataObject, data: object, options?: IDataObject): Promise<RunResult>;
	/** A Sync that must not fail (its error is thrown). */
	sync(data: object, options?: IDataObject, parameters?: IDataObject): Promise<RunResult>;
	/** Apply Plan of these plan items. */
	apply(plan: IDataObject[], options?: IDataObject): Promise<RunResult>;
	/** A client of the tenant, to change WPS by hand as a person would between runs. */
	wps(): WpsClient;
}

/**
 * Registers the hooks of one emulator (rate limit off) and one database for the enclosing describe, and a tenant:
 * a fresh one per test (`perTest`, the default) or one for the whole describe.
 */
export function useNodeKit(
	dbName: string,
	opts: { tenant?: 'perTest' | 'perDescribe'; newUserStatus?: 'active' | 'notactive' } = {},
): NodeKit {
	// filled in by the hooks below: the tests read them once these have run
	const kit = {} as NodeKit & { emu: WpsEmulator; db: TestDatabase; env: NodeEnv };
	const perTest = opts.tenant !== 'perDescribe';
	const startEnv = async () => {
		kit.env = await startNodeEnv({ emu: kit.emu, db: kit.db, newUserStatus: opts.newUserStatus });
	};
	beforeAll(async () => {
		kit.emu = await startWpsEmulator({ rateLimits: 'off' });
		kit.db = await createTestDatabase(dbName);
		if (!perTest) await startEnv();
	});
	afterAll(async () => {
		if (!perTest) await kit.env?.close();
		await kit.db?.drop();
		await kit.emu?.close();
	});
	if (perTest) {
		beforeEach(startEnv);
		afterEach(async () => kit.env.close());
	}
	const run = (parameters: IDataObject, data: object, options: IDataObject = {}) =>
		syncWorkflow(parameters, options).run({ credentials: kit.env.credentials, pinData: data as never });
	return Object.assign(kit, {
		dump: () => kit.emu.admin.dump({ clientId: kit.env.clientId }),
		run,
		sync: async (data: object, options: IDataObject = {}, parameters: IDataObject = {}) => {
			const r = await run({ operation: 'sync', ...parameters }, data, options);
			if (r.error) throw r.error;
			return r;
		},
		apply: (plan: IDataObject[], options: IDataObject = {}) =>
			applyWorkflow(options).run({ credentials: kit.env.credentials, pinData: { Plan: plan } }),
		wps: () =>
			createWpsContacts({
				baseUrl: kit.emu.baseUrl,
				clientId: kit.env.clientId,
				clientSecret: 'secret',
				ratePerSecond: false,
			}),
	});
}
