/**
 * Bitable Sync at scale against the Feishu emulator with Feishu's enforced limits (search 20/s, record
 * writes 50/s): API calls and wall time of a first sync and of an unchanged re-sync of 100,000 rows,
 * next to a baseline that updates every matched row on every run (the peer XTF's approach,
 * reimplemented below in a few lines), each against the floor max(calls / limit, measured service
 * time) (target within 1.2x); plus the CPU time of the diff for 100,000 rows (target under 2 s).
 *
 * Then the API economy (docs/bitable-sync-economy.md), calls only: an unchanged re-sync and a re-sync with 1% of the
 * rows changed, with Read Only Changes (the sync's snapshot and a Modified time field) beside today's full read,
 * both measured here (targets: unchanged <= 3 calls; 1% changed <= 3 + changed/500 reads, plus the writes).
 *
 *   npx ts-node --transpile-only bench/bitableSync.ts        (BENCH_QUICK=1: 10,000 rows, one round;
 *   BENCH_REPEAT=n: best of n rounds, default 2)
 */
import { startFeishuEmulator, type FeishuEmulator } from '../test/emulators/feishu';
import { FeishuRegistry, feishuSession, type FeishuSession } from '../lib/feishu';
import { coerceWriteValue, type FieldMeta } from '../lib/feishu/fieldValues';
import { runSync, sessionClient, type SyncInputItem, type SyncSnapshot } from '../lib/bitableSync';
import { buildPlan, indexTable } from '../lib/bitableSync/plan';
import { prepareItems } from '../lib/bitableSync/prepare';
import { resolveSchema } from '../lib/bitableSync/schema';
import { systemClock } from '../lib/resilience';

const N = process.env.BENCH_QUICK ? 10_000 : Number(process.env.BENCH_ROWS ?? 100_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? (process.env.BENCH_QUICK ? 1 : 2));
const APP = { appId: 'cli_bench_sync', appSecret: 'bench-secret' };
const APP_TOKEN = 'bascnBenchSyncBase0000001';
const LIMITS = { read: 20, write: 50 };
const FIELDS = [
	{ field_name: 'Code', type: 1 },
	{ field_name: 'Qty', type: 2 },
	{ field_name: 'When', type: 5 },
	{ field_name: 'Note', type: 1 },
	{ field_name: 'Status', type: 3, property: { options: [{ name: 'New' }, { name: 'Done' }] } },
];
const pad = (n: number) => String(n).padStart(2, '0');
const input: SyncInputItem[] = Array.from({ length: N }, (_, i) => ({
	index: i,
	values: {
		Code: `K${i}`,
		Qty: `${i}.00`,
		When: `2024-05-${pad((i % 28) + 1)} ${pad(i % 24)}:00:00`,
		Note: `Row ${i}: a note long enough to come back from Bitable in more than one text segment`,
		Status: i % 3 ? 'New' : 'Done',
	},
}));

interface Phase {
	calls: number;
	refused429: number;
	reads: number;
	writes: number;
	ms: number;
}

/** The baseline: read the keys, then create new rows and update every matched row, every run. */
async function baselineSync(session: FeishuSession, tableId: string, fields: FieldMeta[]): Promise<void> {
	const byName = new Map(fields.map((f) => [f.field_name, f]));
	const existing = await session.searchRecords(APP_TOKEN, tableId, { field_names: ['Code'] }, { pageSize: 500 });
	const ids = new Map(
		existing.map((r) => [(r.fields.Code as { text: string }[]).map((s) => s.text).join(''), r.record_id]),
	);
	const write = (v: Record<string, unknown>) =>
		Object.fromEntries(
			Object.entries(v).map(([k, x]) => [k, coerceWriteValue(byName.get(k)!, x, { timeZone: 'Asia/Shanghai' })]),
		);
	const creates = input.filter((i) => !ids.has(String(i.values.Code))).map((i) => ({ fields: write(i.values) }));
	const updates = input
		.filter((i) => ids.has(String(i.values.Code)))
		.map((i) => ({ record_id: ids.get(String(i.values.Code))!, fields: write(i.values) }));
	if (creates.length) await session.batchCreateRecords(APP_TOKEN, tableId, creates, { batchSize: 1000 });
	if (updates.length) await session.batchUpdateRecords(APP_TOKEN, tableId, updates, { batchSize: 1000 });
}

async function measure(emu: FeishuEmulator, session: FeishuSession, work: () => Promise<unknown>): Promise<Phase> {
	await emu.admin.resetCounters();
	const callsBefore = session.calls;
	const started = performance.now();
	await work();
	const ms = performance.now() - started;
	const { calls, rateLimited } = await emu.admin.counters();
	const sum = (re: RegExp) =>
		Object.entries(calls)
			.filter(([k]) => re.test(k))
			.reduce((a, [, n]) => a + n, 0);
	return {
		calls: session.calls - callsBefore,
		refused429: rateLimited,
		reads: sum(/^bitable\.(records\.search|fields\.list|records\.batch_get|tables\.list)$/),
		writes: sum(/^bitable\.(records\.(batch_)?(create|update|delete)|fields\.create)$/),
		ms,
	};
}

const ours = (session: FeishuSession, tableId: string) => () =>
	runSync(sessionClient(session), {
		appToken: APP_TOKEN,
		tableId,
		mode: 'upsert',
		keyFields: ['Code'],
		items: input,
		timeZone: 'Asia/Shanghai',
	});

/** A fresh emulator state (same memory for every measured pair) with the app added to the base. */
async function freshBase(emu: FeishuEmulator): Promise<void> {
	await emu.admin.reset();
	await emu.admin.createApp(APP);
	await emu.admin.createBase({ appToken: APP_TOKEN, apps: [APP.appId] });
}

/** A first sync then an unchanged re-sync of the same rows, by one approach, on a fresh table. */
async function pair(
	emu: FeishuEmulator,
	session: FeishuSession,
	approach: 'ours' | 'baseline',
	limits: 'spec' | 'off',
): Promise<[Phase, Phase]> {
	await freshBase(emu);
	await emu.admin.setRateLimits(limits);
	const tableId = await emu.admin.createTable({ appToken: APP_TOKEN, name: approach, fields: FIELDS });
	const fields = await session.listFields(APP_TOKEN, tableId);
	const work = approach === 'ours' ? ours(session, tableId) : () => baselineSync(session, tableId, fields);
	return [await measure(emu, session, work), await measure(emu, session, work)];
}

interface EconomyFigures {
	unchanged: Phase;
	changed: Phase;
	changedRows: number;
}

/** First sync, unchanged re-sync, 1%-changed re-sync, on a table with a Modified time field; with or without the snapshot. */
async function economy(emu: FeishuEmulator, session: FeishuSession, snapshot: boolean): Promise<EconomyFigures> {
	await freshBase(emu);
	await emu.admin.setRateLimits('off');
	const tableId = await emu.admin.createTable({
		appToken: APP_TOKEN,
		name: snapshot ? 'snapshot' : 'full',
		fields: [...FIELDS, { field_name: 'Modified', type: 1002 }],
	});
	let previous: SyncSnapshot | undefined;
	const sync = async (items: SyncInputItem[]) => {
		const result = await runSync(sessionClient(session), {
			appToken: APP_TOKEN,
			tableId,
			mode: 'upsert',
			keyFields: ['Code'],
			items,
			timeZone: 'Asia/Shanghai',
			...(snapshot ? { snapshot: { previous, fullReadEvery: 0 } } : {}),
		});
		previous = result.snapshot;
	};
	await sync(input);
	const unchanged = await measure(emu, session, () => sync(input));
	const step = 100; // 1%
	const changedInput = input.map((item, i) =>
		i % step === 0 ? { ...item, values: { ...item.values, Qty: `${i}.50` } } : item,
	);
	const changed = await measure(emu, session, () => sync(changedInput));
	return { unchanged, changed, changedRows: Math.ceil(N / step) };
}

async function diffCpuMs(): Promise<number> {
	const records = Array.from({ length: N }, (_, i) => ({
		record_id: `rec${i}`,
		fields: {
			Code: [{ type: 'text', text: `K${i}` }],
			Qty: i,
			When: Date.UTC(2024, 4, (i % 28) + 1, (i % 24) - 8),
			Note: [
				{ type: 'text', text: `Row ${i}: a note long enough to come back ` },
				{ type: 'text', text: 'from Bitable in more than one text segment' },
			],
			Status: i % 3 ? 'New' : 'Done',
		} as Record<string, unknown>,
	}));
	const runs: number[] = [];
	for (let round = 0; round < 3; round++) {
		const start = process.cpuUsage();
		const schema = resolveSchema(FIELDS, input, {
			keyFields: ['Code'],
			createMissingFields: false,
			strategy: 'base',
			timeZone: 'Asia/Shanghai',
		});
		const prepared = await prepareItems(sessionClient(undefined as unknown as FeishuSession), schema, input, {
			timeZone: 'Asia/Shanghai',
		});
		const plan = buildPlan(prepared, schema, indexTable(records, schema.keyFields, { timeZone: 'Asia/Shanghai' }), {
			mode: 'upsert',
			duplicateInputKeys: 'error',
			dedupe: false,
			thresholds: { maxDeleteCount: -1, maxDeletePercent: 100 },
			timeZone: 'Asia/Shanghai',
			attachmentHashes: {},
		});
		const used = process.cpuUsage(start);
		if (plan.unchanged.length !== N)
			throw new Error(`diff bench: expected ${N} unchanged, got ${plan.unchanged.length}`);
		runs.push((used.user + used.system) / 1000);
	}
	return runs.sort((a, b) => a - b)[1];
}

async function main(): Promise<void> {
	const emu = await startFeishuEmulator({ seed: 5, rateLimits: 'off' });
	try {
		const config = { ...APP, baseUrl: emu.baseUrl, timeZone: 'Asia/Shanghai', timeoutMs: 120_000 };
		// Service time: the same work with no limit on either side (measured right before the limited run).
		const free = feishuSession(
			{ ...config, rateLimits: { search: 1e9, recordWrite: 1e9, fieldWrite: 1e9, other: 1e9 } },
			{ registry: new FeishuRegistry(systemClock) },
		);
		const limited = feishuSession(config, { registry: new FeishuRegistry(systemClock) });
		const service: Record<string, Phase> = {};
		const run: Record<string, Phase> = {};
		const best = (into: Record<string, Phase>, name: string, p: Phase) => {
			if (!into[name] || p.ms < into[name].ms) into[name] = p;
		};
		let rateLimited = 0;
		// best of REPEAT: the bench shares its machine (and its one event loop) with the emulator
		for (let round = 0; round < REPEAT; round++) {
			for (const approach of ['ours', 'baseline'] as const) {
				const [sf, sa] = await pair(emu, free, approach, 'off');
				best(service, `${approach}First`, sf);
				best(service, `${approach}Again`, sa);
				const [lf, la] = await pair(emu, limited, approach, 'spec');
				best(run, `${approach}First`, lf);
				best(run, `${approach}Again`, la);
				rateLimited += lf.refused429 + la.refused429;
			}
		}

		const report: Record<string, unknown> = {
			bench: 'bitable sync',
			rows: N,
			bestOf: REPEAT,
			limits: LIMITS,
			refused429: rateLimited,
		};
		const lines: string[] = [];
		let worst = 0;
		for (const name of Object.keys(run)) {
			const p = run[name];
			const rateFloor = (p.reads / LIMITS.read + p.writes / LIMITS.write) * 1000;
			const floor = Math.max(rateFloor, service[name].ms);
			const ratio = p.ms / floor;
			if (name.startsWith('ours')) worst = Math.max(worst, ratio); // the target is ours; the baseline is context
			report[name] = {
				calls: p.calls,
				reads: p.reads,
				writes: p.writes,
				ms: Math.round(p.ms),
				serviceMs: Math.round(service[name].ms),
				floorMs: Math.round(floor),
				ratio: Number(ratio.toFixed(3)),
			};
			lines.push(
				`  ${name.padEnd(14)} ${String(p.calls).padStart(5)} calls (${p.reads} reads, ${p.writes} writes)  ${(p.ms / 1000).toFixed(2).padStart(7)} s` +
					`  floor ${(floor / 1000).toFixed(2)} s (rate ${(rateFloor / 1000).toFixed(2)} s, service ${(service[name].ms / 1000).toFixed(2)} s)  -> ${ratio.toFixed(3)}x`,
			);
		}
		const withSnapshot = await economy(emu, free, true);
		const today = await economy(emu, free, false);
		const economyOk =
			withSnapshot.unchanged.calls <= 3 && withSnapshot.changed.reads <= 3 + Math.ceil(withSnapshot.changedRows / 500);
		report.economy = {
			unchangedResync: { snapshot: withSnapshot.unchanged.calls, today: today.unchanged.calls, target: 3 },
			onePercentChanged: {
				rows: withSnapshot.changedRows,
				snapshot: {
					calls: withSnapshot.changed.calls,
					reads: withSnapshot.changed.reads,
					writes: withSnapshot.changed.writes,
				},
				today: { calls: today.changed.calls, reads: today.changed.reads, writes: today.changed.writes },
			},
		};
		lines.push(
			`  API economy (Read Only Changes vs today's full read, calls):`,
			`    unchanged re-sync of ${N} rows: ${withSnapshot.unchanged.calls} calls vs today ${today.unchanged.calls} (target <= 3)`,
			`    ${withSnapshot.changedRows} rows changed (1%): ${withSnapshot.changed.calls} calls (${withSnapshot.changed.reads} reads, ${withSnapshot.changed.writes} writes) vs today ${today.changed.calls} (${today.changed.reads} reads, ${today.changed.writes} writes); target reads <= 3 + changed/500`,
		);
		const cpu = await diffCpuMs();
		report.diffCpuMs = Math.round(cpu);
		report.oursWorstRatio = Number(worst.toFixed(3));
		process.stdout.write(
			`bitable sync, ${N} rows, enforced limits ${LIMITS.read}/s reads and ${LIMITS.write}/s writes (target <= 1.2x of the floor):\n${lines.join('\n')}\n` +
				`  unchanged re-sync: ${run.oursAgain.calls} calls (${run.oursAgain.writes} writes) vs baseline ${run.baselineAgain.calls} calls (${run.baselineAgain.writes} writes)\n` +
				`  diff CPU for ${N} rows (coerce, normalise both sides, index, plan): ${cpu.toFixed(0)} ms (target < 2000 ms)\n` +
				`${JSON.stringify(report)}\n`,
		);
		if (worst > 1.2 || cpu > 2000 || rateLimited > 0 || !economyOk) process.exitCode = 1;
	} finally {
		await emu.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
