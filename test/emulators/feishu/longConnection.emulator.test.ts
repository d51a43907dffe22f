/**
 * The emulator's long connection, driven by the official SDK unchanged (WSClient + EventDispatcher, pointed at the
 * emulator by its domain): connect, subscribe the base, receive drive.file.bitable_record_changed_v1 for API and
 * admin writes, acknowledge, drop and reconnect.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { startFeishuEmulator, type FeishuEmulator } from './index';
import { freshCache, until } from './testkit';

const APP = { appId: 'cli_a1b2c3d4e5f60001', appSecret: 'ws-secret' };
const OTHER = { appId: 'cli_a1b2c3d4e5f60002', appSecret: 'other-secret' };
const APP_TOKEN = 'bascnWsBase00000000000001';
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

type Changed = {
	file_token?: string;
	table_id?: string;
	action_list?: { record_id: string; action: string }[];
	operator_id?: { open_id?: string };
};

describe('Feishu emulator: long connection and base subscriptions', () => {
	let emu: FeishuEmulator;
	let tableId: string;
	const clients: lark.WSClient[] = [];

	beforeAll(async () => {
		emu = await startFeishuEmulator({ seed: 3, rateLimits: 'off' });
	});
	afterAll(async () => {
		for (const c of clients) c.close({ force: true });
		await emu.close();
	});
	beforeEach(async () => {
		for (const c of clients.splice(0)) c.close({ force: true });
		await emu.admin.reset();
		await emu.admin.createApp(APP);
		await emu.admin.createApp(OTHER);
		await emu.admin.createBase({ appToken: APP_TOKEN, apps: [APP.appId, OTHER.appId] });
		tableId = await emu.admin.createTable({
			appToken: APP_TOKEN,
			name: 'T',
			fields: [{ field_name: 'Name', type: 1 }],
		});
	});

	const api = (app = APP) =>
		new lark.Client({
			...app,
			domain: emu.baseUrl,
			cache: freshCache(),
			logger: silent,
			loggerLevel: lark.LoggerLevel.error,
		});
	const connect = (app = APP) => {
		const events: Changed[] = [];
		const states: string[] = [];
		const ws = new lark.WSClient({
			...app,
			domain: emu.baseUrl,
			logger: silent,
			loggerLevel: lark.LoggerLevel.error,
			onReady: () => states.push('ready'),
			onReconnected: () => states.push('reconnected'),
		});
		clients.push(ws);
		const dispatcher = new lark.EventDispatcher({ logger: silent, loggerLevel: lark.LoggerLevel.error }).register({
			'drive.file.bitable_record_changed_v1': async (data: Changed) => {
				events.push(data);
			},
		});
		void ws.start({ eventDispatcher: dispatcher });
		return { ws, events, states };
	};

	it('pushes record changes of a subscribed base to the connected app, and counts its acknowledgement', async () => {
		const client = api();
		const sub = await client.drive.v1.file.subscribe({
			path: { file_token: APP_TOKEN },
			params: { file_type: 'bitable' },
		});
		expect(sub.code).toBe(0);
		expect(
			(await client.drive.v1.file.getSubscribe({ path: { file_token: APP_TOKEN }, params: { file_type: 'bitable' } }))
				.data?.is_subscribe,
		).toBe(true);
		const { events, states } = connect();
		await until(() => states.includes('ready'), 'the connection');

		const created = await client.bitable.v1.appTableRecord.create({
			path: { app_token: APP_TOKEN, table_id: tableId },
			data: { fields: { Name: 'via API' } },
		});
		const id = created.data?.record?.record_id as string;
		await until(() => events.length === 1, 'the API write event');
		expect(events[0]).toMatchObject({
			file_token: APP_TOKEN,
			table_id: tableId,
			action_list: [{ record_id: id, action: 'record_added' }],
			operator_id: { open_id: `ou_app_${APP.appId}` },
		});

		await emu.admin.editRecord({
			appToken: APP_TOKEN,
			tableId,
			recordId: id,
			fields: { Name: 'by hand' },
			asUser: 'ou_base_owner',
		});
		await emu.admin.deleteRecords({ appToken: APP_TOKEN, tableId, recordIds: [id] });
		await until(() => events.length === 3, 'the admin write events');
		expect(events.map((e) => e.action_list?.[0].action)).toEqual(['record_added', 'record_edited', 'record_deleted']);
		await until(async () => (await emu.admin.longConnections()).pushed.every((p) => p.acked), 'the acknowledgements');
	});

	it('pushes nothing to an app that did not subscribe, nor after unsubscribing', async () => {
		const mine = connect(APP);
		const other = connect(OTHER);
		await until(() => mine.states.includes('ready') && other.states.includes('ready'), 'both connections');
		const client = api();
		await client.drive.v1.file.subscribe({ path: { file_token: APP_TOKEN }, params: { file_type: 'bitable' } });
		await emu.admin.seedRecords({ appToken: APP_TOKEN, tableId, records: [{ fields: { Name: 'a' } }] });
		await until(() => mine.events.length === 1, 'the event');
		await client.drive.v1.file.deleteSubscribe({ path: { file_token: APP_TOKEN }, params: { file_type: 'bitable' } });
		expect(await emu.admin.subscriptions()).toEqual([]);
		await emu.admin.seedRecords({ appToken: APP_TOKEN, tableId, records: [{ fields: { Name: 'b' } }] });
		// a later subscribed write proves the unsubscribed one was not merely slow
		await api(OTHER).drive.v1.file.subscribe({ path: { file_token: APP_TOKEN }, params: { file_type: 'bitable' } });
		await emu.admin.seedRecords({ appToken: APP_TOKEN, tableId, records: [{ fields: { Name: 'c' } }] });
		await until(() => other.events.length === 1, "the other app's event");
		expect(mine.events).toHaveLength(1);
	});

	it('drops the connection on command; the SDK reconnects through the endpoint and events flow again', async () => {
		await api().drive.v1.file.subscribe({ path: { file_token: APP_TOKEN }, params: { file_type: 'bitable' } });
		const { events, states } = connect();
		await until(() => states.includes('ready'), 'the connection');
		expect(await emu.admin.dropLongConnections(APP.appId)).toBe(1);
		await until(() => states.includes('reconnected'), 'the reconnect');
		expect((await emu.admin.longConnections()).connects[APP.appId]).toBe(2);
		await emu.admin.seedRecords({ appToken: APP_TOKEN, tableId, records: [{ fields: { Name: 'after' } }] });
		await until(() => events.length === 1, 'the event after reconnecting');
	});

	it('refuses a wrong secret at the endpoint and an unknown base at subscribe', async () => {
		const errors: Error[] = [];
		const ws = new lark.WSClient({
			appId: APP.appId,
			appSecret: 'wrong',
			domain: emu.baseUrl,
			logger: silent,
			loggerLevel: lark.LoggerLevel.error,
			onError: (e) => errors.push(e),
		});
		clients.push(ws);
		void ws.start({ eventDispatcher: new lark.EventDispatcher({ logger: silent }) });
		await until(() => errors.length === 1, 'the refusal');
		expect(errors[0].message).toMatch(/code=514/);
		const bad = await api()
			.drive.v1.file.subscribe({ path: { file_token: 'bascnNoSuchBase0000000001' }, params: { file_type: 'bitable' } })
			.catch((e) => e.response?.data ?? e);
		expect(bad.code).toBe(1254040);
	});
});
