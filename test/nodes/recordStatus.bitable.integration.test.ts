import type { IDataObject, INodeParameters } from 'n8n-workflow';
import type { FeishuEmulator } from '../emulators/feishu';
import { appCredential, startAppInBase } from '../unit/feishu/emulatorSetup';
import { defineStatusCases, statusRunner, TASK_FIELD_PARAMS, type Backend, type SeedRow } from './recordStatusCases';

const APP = { appId: 'cli_status_app', appSecret: 'status-secret', name: 'Status App' };
const APP_TOKEN = 'bascnStatusBase0000000001';
let emu: FeishuEmulator;
let tableId: string;

export const TASK_FIELDS = [
	{ field_name: 'taskId', type: 1 },
	{
		field_name: 'status',
		type: 3,
		property: { options: [{ name: 'Pending' }, { name: 'Processing' }, { name: 'Completed' }, { name: 'Failed' }] },
	},
	{ field_name: 'version', type: 2 },
	{ field_name: 'statusSource', type: 1 },
	{ field_name: 'statusAt', type: 5 },
	{ field_name: 'attempts', type: 2 },
	{ field_name: 'note', type: 1 },
];

beforeAll(async () => {
	emu = await startAppInBase(APP, APP_TOKEN, { baseName: 'Tasks' });
	tableId = await emu.admin.createTable({
		appToken: APP_TOKEN,
		name: 'Tasks',
		fields: TASK_FIELDS,
		primaryField: 'taskId',
	});
});

afterAll(async () => {
	await emu.close();
});

function plainRow(plain: Record<string, unknown>) {
	const num = (v: unknown) => (typeof v === 'number' ? v : v == null || v === '' ? null : Number(v));
	return {
		status: String(plain.status ?? ''),
		version: num(plain.version) ?? 0,
		source: (plain.statusSource as string | undefined) ?? null,
		statusTime: num(plain.statusAt),
		attempts: num(plain.attempts) ?? 0,
		note: (plain.note as string | undefined) || null,
	};
}

function bitableBackend(): Backend {
	return {
		name: 'bitable',
		credentialType: 'feishuAppApi',
		credentials: appCredential(APP, emu),
		params: {
			store: 'bitable',
			base: { __rl: true, mode: 'id', value: APP_TOKEN },
			table: { __rl: true, mode: 'id', value: tableId },
			...TASK_FIELD_PARAMS,
		},
		async seed(rows: SeedRow[]) {
			const existing = (await emu.admin.dumpTable(APP_TOKEN, tableId)).records.map((r) => r.record_id);
			if (existing.length) await emu.admin.deleteRecords({ appToken: APP_TOKEN, tableId, recordIds: existing });
			const ids = await emu.admin.seedRecords({
				appToken: APP_TOKEN,
				tableId,
				records: rows.map((r) => ({
					fields: {
						taskId: r.key,
						status: r.status,
						version: r.version ?? 0,
						...(r.source ? { statusSource: r.source } : {}),
						...(r.statusTime ? { statusAt: r.statusTime } : {}),
						attempts: r.attempts ?? 0,
					},
				})),
			});
			return new Map(rows.map((r, i) => [r.key, ids[i]]));
		},
		async get(key: string) {
			const rec = (await emu.admin.dumpTable(APP_TOKEN, tableId)).records.find((r) => r.plain.taskId === key);
			return rec ? { id: rec.record_id, ...plainRow(rec.plain) } : undefined;
		},
		async count() {
			return (await emu.admin.dumpTable(APP_TOKEN, tableId)).records.length;
		},
	};
}

describe('Record Status on Feishu Bitable (emulator)', () => {
	defineStatusCases(bitableBackend);
});

describe('Feishu errors reach the user explained', () => {
	it("a table that does not exist fails with Feishu's code and what to do; Continue On Fail makes it an error item", async () => {
		const b = bitableBackend();
		const params = { ...b.params, table: { __rl: true, mode: 'id', value: 'tblDoesNotExist1' } };
		const run = (onError?: 'continueRegularOutput') =>
			statusRunner(
				{ ...b, params },
				{ operation: 'setStatus', findBy: 'key', keyValue: 'k', targetStatus: 'Pending' },
				{ onError },
			).run({
				credentials: { [b.credentialType]: b.credentials },
				pinData: { Start: [{}] },
			});
		const failed = await run();
		expect(failed.error?.message).toMatch(/1254041|table/i);
		const cont = await run('continueRegularOutput');
		expect(String(cont.json('Status')[0].error)).toMatch(/1254041|table/i);
	});
});

describe('Bitable read-check-write-confirm under concurrency (one n8n process)', () => {
	const run = (b: Backend, item: IDataObject, options: INodeParameters = {}) =>
		statusRunner(b, {
			operation: 'setStatus',
			findBy: 'key',
			keyValue: '={{ $json.key }}',
			targetStatus: '={{ $json.target }}',
			options,
		}).run({ credentials: { [b.credentialType]: b.credentials }, pinData: { Start: [item] } });

	it('10 executions moving one record from the version they read: exactly one applies, the rest say why not', async () => {
		const b = bitableBackend();
		await b.seed([{ key: 'c1', status: 'Processing', version: 4 }]);
		const targets = [
			'Completed',
			'Failed',
			'Completed',
			'Failed',
			'Completed',
			'Failed',
			'Completed',
			'Failed',
			'Completed',
			'Failed',
		];
		const outs = (await Promise.all(targets.map((target) => run(b, { key: 'c1', target })))).map(
			(r) => r.json('Status')[0],
		);
		const applied = outs.filter((o) => o.applied);
		expect(applied).toHaveLength(1);
		expect(
			outs
				.filter((o) => !o.applied)
				.every((o) => ['unchanged', 'illegal_transition', 'version_conflict'].includes(o.reason as string)),
		).toBe(true);
		expect(await b.get('c1')).toMatchObject({ status: applied[0].status, version: 5 });
	});

	it('5 executions creating one missing key at once leave one record', async () => {
		const b = bitableBackend();
		await b.seed([]);
		const outs = (
			await Promise.all([1, 2, 3, 4, 5].map(() => run(b, { key: 'dup', target: 'Pending' }, { createIfMissing: true })))
		).map((r) => r.json('Status')[0]);
		expect(outs.filter((o) => o.reason === 'created')).toHaveLength(1);
		expect(outs.filter((o) => o.reason !== 'created').every((o) => o.reason === 'unchanged')).toBe(true);
		expect(await b.count()).toBe(1);
	});
});
