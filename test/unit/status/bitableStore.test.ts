/**
 * BitableStatusStore against the Feishu emulator: what protects a create when another n8n process
 * (the intake and the reconciler) creates the same task and neither can see the other's record yet.
 */
import { startFeishuEmulator, type FeishuEmulator } from '../../emulators/feishu';
import { feishuSession, type FeishuSession } from '../../../lib/feishu/session';
import { FeishuRegistry } from '../../../lib/feishu/appState';
import { BitableStatusStore } from '../../../lib/status/stores/bitableStore';
import type { BitableStatusApi } from '../../../lib/status/stores/bitableStore';

const APP = { appId: 'cli_token_app', appSecret: 'token-secret' };
const APP_TOKEN = 'bascnTokenBase00000000001';
let emu: FeishuEmulator;
let tableId: string;
let session: FeishuSession;

beforeAll(async () => {
	emu = await startFeishuEmulator({ seed: 4, rateLimits: 'off' });
	await emu.admin.createApp(APP);
	await emu.admin.createBase({ appToken: APP_TOKEN, apps: [APP.appId] });
	tableId = await emu.admin.createTable({
		appToken: APP_TOKEN,
		name: 'Tasks',
		primaryField: 'taskId',
		fields: [
			{ field_name: 'taskId', type: 1 },
			{ field_name: 'status', type: 3 },
		],
	});
	session = feishuSession({ appId: APP.appId, appSecret: APP.appSecret, baseUrl: emu.baseUrl }, { registry: new FeishuRegistry({ now: Date.now, sleep: async () => undefined }) });
});
afterAll(async () => {
	await emu.close();
});

/** A session whose key search finds nothing, like a search index that has not caught up yet. */
const blindSearch = (s: FeishuSession): BitableStatusApi =>
	Object.assign(Object.create(s) as FeishuSession, { searchRecords: async () => [] }) as unknown as BitableStatusApi;

const table = () => ({ appToken: APP_TOKEN, tableId, keyField: 'taskId', statusField: 'status' });
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
