/**
 * BitableStatusStore against the Feishu emulator: what protects a create when another n8n process
 * (the intake and the reconciler) creates the same task and neither can see the other's record yet.
 */
import type { FeishuEmulator } from '../../emulators/feishu';
import { startAppInBase } from '../feishu/emulatorSetup';
import { feishuSession, type FeishuSession } from '../../../lib/feishu/session';
import { FeishuRegistry } from '../../../lib/feishu/appState';
import { BitableStatusStore } from '../../../lib/recordStatus/stores/bitableStore';
import type { BitableStatusApi } from '../../../lib/recordStatus/stores/bitableStore';
import { RecentCreates } from '../../../lib/feishu/recentCreates';

const APP = { appId: 'cli_token_app', appSecret: 'token-secret' };
const APP_TOKEN = 'bascnTokenBase00000000001';
let emu: FeishuEmulator;
let tableId: string;
let session: FeishuSession;

beforeAll(async () => {
	emu = await startAppInBase(APP, APP_TOKEN, { seed: 4 });
	tableId = await emu.admin.createTable({
		appToken: APP_TOKEN,
		name: 'Tasks',
		primaryField: 'taskId',
		fields: [
			{ field_name: 'taskId', type: 1 },
			{ field_name: 'status', type: 3 },
		],
	});
	session = feishuSession(
		{ appId: APP.appId, appSecret: APP.appSecret, baseUrl: emu.baseUrl },
		{ registry: new FeishuRegistry({ now: Date.now, sleep: async () => undefined }) },
	);
});
afterAll(async () => {
	await emu.close();
});

/** A session whose key search finds nothing, like a search index that has not caught up yet. */
const blindSearch = (s: FeishuSession): BitableStatusApi =>
	Object.assign(Object.create(s) as FeishuSession, { searchRecords: async () => [] }) as unknown as BitableStatusApi;

/** Each store a process of its own: its own memory of recent creates. */
const table = () => ({
	appToken: APP_TOKEN,
	tableId,
	keyField: 'taskId',
	statusField: 'status',
	recentCreates: new RecentCreates(),
});
const write = { status: 'Pending', statusTime: Date.now(), fields: {} };

it('two creates of one key that cannot see each other send one client_token: Feishu keeps one record', async () => {
	const intake = new BitableStatusStore(blindSearch(session), table());
	const reconciler = new BitableStatusStore(blindSearch(session), table());
	const a = await intake.create('task-42', write);
	const b = await reconciler.create('task-42', write);
	expect(b.record.id).toBe(a.record.id);
	const dump = await emu.admin.dumpTable(APP_TOKEN, tableId);
	expect(dump.records.filter((r) => r.plain.taskId === 'task-42')).toHaveLength(1);
	expect((await emu.admin.counters()).idempotentReplays).toBeGreaterThanOrEqual(1);
});

it('different keys get different tokens (two records)', async () => {
	const store = new BitableStatusStore(blindSearch(session), table());
	const a = await store.create('task-a', write);
	const b = await store.create('task-b', write);
	expect(a.record.id).not.toBe(b.record.id);
});

describe('the real API: per-body tokens, lagging search, maybe-applied creates (docs/feishu-api.md)', () => {
	afterEach(async () => {
		await emu.admin.setSearchBehaviour({});
		await emu.admin.clearFaultPlan();
	});
	const records = async (key: string) =>
		(await emu.admin.dumpTable(APP_TOKEN, tableId)).records.filter((r) => r.plain.taskId === key);

	it('never reuses a token for another body: a key created again with other values is not refused with 1255006', async () => {
		const store = new BitableStatusStore(session, table());
		const first = await store.create('task-body', { status: 'Pending', statusTime: Date.now(), fields: {} });
		await emu.admin.deleteRecords({ appToken: APP_TOKEN, tableId, recordIds: [first.record.id] });
		const again = await store.create('task-body', { status: 'Failed', statusTime: Date.now(), fields: {} });
		expect(again.record.status).toBe('Failed');
		expect(await records('task-body')).toHaveLength(1);
	});

	it('create-if-missing stays duplicate-free when search lags writes', async () => {
		await emu.admin.setSearchBehaviour({ searchLagMs: 60_000 });
		const store = new BitableStatusStore(session, { ...table(), recentCreates: new RecentCreates() });
		const a = await store.create('task-lag', { status: 'Pending', statusTime: 1, fields: {} });
		// another execution in this process, moments later, with other values (another token): search sees nothing yet
		const other = new BitableStatusStore(session, {
			...table(),
			recentCreates: (store as unknown as { t: { recentCreates: RecentCreates } }).t.recentCreates,
		});
		const b = await other.create('task-lag', { status: 'Pending', statusTime: 2, fields: {} });
		expect(b).toMatchObject({ created: false, record: { id: a.record.id } });
		expect(await records('task-lag')).toHaveLength(1);
	});

	it('a create whose answer never came (maybe applied) is read by key before deciding, not created again', async () => {
		const impatient = feishuSession(
			{ appId: APP.appId, appSecret: APP.appSecret, baseUrl: emu.baseUrl, retry: { maxAttempts: 1 } },
			{ registry: new FeishuRegistry({ now: Date.now, sleep: async () => undefined }) },
		);
		await emu.admin.setFaultPlan({
			seed: 3,
			kinds: ['applied_then_drop'],
			endpoints: ['bitable.records.create'],
			onCalls: [1],
		});
		const store = new BitableStatusStore(impatient, table());
		const made = await store.create('task-lost-answer', { status: 'Pending', statusTime: 5, fields: {} });
		expect(made.record.status).toBe('Pending');
		expect(await records('task-lost-answer')).toHaveLength(1);
	});
});
