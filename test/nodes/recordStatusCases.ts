/**
 * Store-independent node tests of Record Status: the same cases run against MySQL (real MariaDB)
 * and Bitable (the Feishu emulator), each through a real workflow in the harness.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { HarnessNodeTypes, MANUAL_TRIGGER, WorkflowRunner } from '../harness';
import { RecordStatus } from '../../nodes/RecordStatus/RecordStatus.node';
import { DEFAULT_TRANSITIONS } from '../../lib/recordStatus';

/** The MySQL table of the node tests (status, version, source and time columns, a unique key). */
export const TASKS_DDL = `CREATE TABLE tasks (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  taskId VARCHAR(64) NOT NULL,
  status VARCHAR(20) NULL,
  version INT NOT NULL DEFAULT 0,
  statusSource VARCHAR(20) NULL,
  statusAt DATETIME(3) NULL,
  attempts INT NOT NULL DEFAULT 0,
  note TEXT NULL,
  UNIQUE KEY uq_task (taskId)
)`;

/** Record Status's field parameters for the task table, whatever the store. */
export const TASK_FIELD_PARAMS = {
	keyField: 'taskId',
	statusField: 'status',
	versionField: 'version',
	statusTimeField: 'statusAt',
	sourceField: 'statusSource',
};

/** The `tasks` table of TASKS_DDL as Record Status's MySQL store. */
export const MYSQL_TASKS: INodeParameters = {
	store: 'mysql',
	mysqlTable: 'tasks',
	idColumn: 'id',
	...TASK_FIELD_PARAMS,
};

export interface SeedRow {
	key: string;
	status: string;
	version?: number;
	source?: string;
	/** ms epoch; tests backdate instead of waiting */
	statusTime?: number;
	attempts?: number;
}

export interface StoredRow {
	id: string;
	status: string;
	version: number;
	source: string | null;
	statusTime: number | null;
	attempts: number;
	note: string | null;
}

export interface Backend {
	name: string;
	credentialType: string;
	credentials: ICredentialDataDecryptedObject;
	/** Store-specific node parameters (store, table, field names). */
	params: INodeParameters;
	/** Starts from an empty table; returns record ids by key. */
	seed(rows: SeedRow[]): Promise<Map<string, string>>;
	get(key: string): Promise<StoredRow | undefined>;
	count(): Promise<number>;
}

/** A MySQL backend for tests that read their table themselves: it runs the node, and seeds or reads nothing. */
export function runOnlyBackend(credentials: ICredentialDataDecryptedObject, params: INodeParameters): Backend {
	return {
		name: 'mysql',
		credentialType: 'mySqlApi',
		credentials,
		params,
		seed: async () => new Map(),
		get: async () => undefined,
		count: async () => 0,
	};
}

export const nodeTypes = new HarnessNodeTypes();
export const RECORD_STATUS = nodeTypes.register(RecordStatus);

export function statusRunner(b: Backend, params: INodeParameters, extra: { onError?: 'continueRegularOutput' } = {}) {
	return new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{
				name: 'Status',
				type: RECORD_STATUS,
				parameters: { ...b.params, ...params },
				credentials: [b.credentialType],
				onError: extra.onError,
			},
		],
		connections: [['Start', 'Status']],
	});
}

export async function runStatus(b: Backend, params: INodeParameters, items: IDataObject[], extra = {}) {
	const r = await statusRunner(b, params, extra).run({
		credentials: { [b.credentialType]: b.credentials },
		pinData: { Start: items },
	});
	return r;
}

const SET_BY_KEY: INodeParameters = {
	operation: 'setStatus',
	findBy: 'key',
	keyValue: '={{ $json.key }}',
	targetStatus: '={{ $json.target }}',
};

export function defineStatusCases(backend: () => Backend) {
	const statuses = Object.keys(DEFAULT_TRANSITIONS);

	it('every pair of the default machine: legal ones apply, same status is a no-op, the rest are skipped and reported', async () => {
		const b = backend();
		const pairs = statuses.flatMap((from) => statuses.map((to) => ({ from, to, key: `k-${from}-${to}` })));
		await b.seed(pairs.map((p) => ({ key: p.key, status: p.from, version: 3 })));
		const r = await runStatus(
			b,
			SET_BY_KEY,
			pairs.map((p) => ({ key: p.key, target: p.to })),
		);
		expect(r.error).toBeUndefined();
		const out = r.json('Status');
		expect(out).toHaveLength(pairs.length);
		for (const [i, p] of pairs.entries()) {
			const legal = (DEFAULT_TRANSITIONS[p.from] ?? []).includes(p.to);
			const row = (await b.get(p.key))!;
			expect({ pair: `${p.from}->${p.to}`, applied: out[i].applied, reason: out[i].reason }).toEqual({
				pair: `${p.from}->${p.to}`,
				applied: legal,
				reason: legal ? null : p.from === p.to ? 'unchanged' : 'illegal_transition',
			});
			expect(out[i]).toMatchObject({
				key: p.key,
				previousStatus: p.from,
				status: legal ? p.to : p.from,
				version: legal ? 4 : 3,
			});
			expect(row.status).toBe(legal ? p.to : p.from);
			expect(row.version).toBe(legal ? 4 : 3);
			expect(r.outputs.Status[0][i].pairedItem).toEqual({ item: i });
		}
	});

	it('edited transitions replace the default ones', async () => {
		const b = backend();
		await b.seed([
			{ key: 'a', status: 'Processing' },
			{ key: 'b', status: 'Pending' },
		]);
		const r = await runStatus(b, { ...SET_BY_KEY, transitions: 'Pending -> Processing\nProcessing -> Pending, Done' }, [
			{ key: 'a', target: 'Pending' },
			{ key: 'b', target: 'Done' },
		]);
		expect(r.json('Status').map((o) => [o.applied, o.reason])).toEqual([
			[true, null],
			[false, 'illegal_transition'],
		]);
		expect((await b.get('a'))!.status).toBe('Pending');
	});

	it('version: a stale expected version is a conflict and changes nothing; the current one applies and adds 1', async () => {
		const b = backend();
		await b.seed([{ key: 'v', status: 'Processing', version: 5 }]);
		/** v to Completed, expecting the item's version: the node's one output item. */
		const completeAt = async (version: number) =>
			(
				await runStatus(b, { ...SET_BY_KEY, options: { expectedVersion: '={{ $json.version }}' } }, [
					{ key: 'v', target: 'Completed', version },
				])
			).json('Status')[0];
		expect(await completeAt(4)).toMatchObject({
			applied: false,
			reason: 'version_conflict',
			status: 'Processing',
			version: 5,
		});
		expect(await b.get('v')).toMatchObject({ status: 'Processing', version: 5 });
		expect(await completeAt(5)).toMatchObject({
			applied: true,
			previousStatus: 'Processing',
			status: 'Completed',
			version: 6,
		});
		expect(await b.get('v')).toMatchObject({ status: 'Completed', version: 6 });
	});

	it('extra fields are written in the same update, and not when the update is skipped', async () => {
		const b = backend();
		await b.seed([
			{ key: 'x', status: 'Processing' },
			{ key: 'y', status: 'Completed' },
		]);
		const r = await runStatus(
			b,
			{
				...SET_BY_KEY,
				extraFields: {
					field: [
						{ name: 'note', value: '={{ $json.note }}' },
						{ name: 'attempts', value: '={{ 7 }}' },
					],
				},
			},
			[
				{ key: 'x', target: 'Failed', note: 'timeout from generator' },
				{ key: 'y', target: 'Processing', note: 'late' },
			],
		);
		expect(r.json('Status').map((o) => o.applied)).toEqual([true, false]);
		expect(await b.get('x')).toMatchObject({ status: 'Failed', note: 'timeout from generator', attempts: 7 });
		expect(await b.get('y')).toMatchObject({ status: 'Completed', note: null, attempts: 0 });
	});

	it('create if missing: a callback that arrives first creates the record; a repeat is a no-op; one record per key', async () => {
		const b = backend();
		await b.seed([]);
		const params = {
			...SET_BY_KEY,
			options: { createIfMissing: true },
			extraFields: { field: [{ name: 'note', value: 'early' }] },
		};
		const first = await runStatus(b, params, [{ key: 'new-1', target: 'Pending' }]);
		expect(first.json('Status')[0]).toMatchObject({
			applied: true,
			reason: 'created',
			previousStatus: null,
			status: 'Pending',
			version: 0,
		});
		const again = await runStatus(b, params, [
			{ key: 'new-1', target: 'Pending' },
			{ key: 'new-1', target: 'Pending' },
		]);
		expect(again.json('Status').map((o) => o.reason)).toEqual(['unchanged', 'unchanged']);
		expect(await b.count()).toBe(1);
		expect(await b.get('new-1')).toMatchObject({ status: 'Pending', note: 'early' });
	});

	it('fields on create only: written when the record is created, never when an existing record is updated', async () => {
		const b = backend();
		await b.seed([{ key: 'old', status: 'Pending', attempts: 4 }]);
		const params = {
			...SET_BY_KEY,
			options: { createIfMissing: true, refreshWhenUnchanged: true },
			extraFields: { field: [{ name: 'attempts', value: '={{ $json.attempts }}' }] },
			createOnlyFields: { field: [{ name: 'note', value: '={{ $json.note }}' }] },
		};
		const created = await runStatus(b, params, [
			{ key: 'fresh', target: 'Pending', attempts: 1, note: 'typed at creation' },
		]);
		expect(created.json('Status')[0]).toMatchObject({ applied: true, reason: 'created' });
		expect(await b.get('fresh')).toMatchObject({ status: 'Pending', note: 'typed at creation', attempts: 1 });
		// An update (a transition, a refresh of the same status, and one on a record that predates it)
		// writes the fields to write, never the create-only ones.
		const updated = await runStatus(b, params, [
			{ key: 'fresh', target: 'Processing', attempts: 2, note: 'would overwrite an edit' },
			{ key: 'fresh', target: 'Processing', attempts: 3, note: 'would overwrite an edit' },
			{ key: 'old', target: 'Processing', attempts: 5, note: 'would overwrite an edit' },
		]);
		expect(updated.json('Status').map((o) => [o.applied, o.reason])).toEqual([
			[true, null],
			[true, 'refreshed'],
			[true, null],
		]);
		expect(await b.get('fresh')).toMatchObject({ status: 'Processing', note: 'typed at creation', attempts: 3 });
		expect(await b.get('old')).toMatchObject({ status: 'Processing', note: null, attempts: 5 });
		expect(await b.count()).toBe(2);
	});

	it('a missing record without create-if-missing is reported, or fails the item by option', async () => {
		const b = backend();
		await b.seed([{ key: 'present', status: 'Pending' }]);
		const reported = await runStatus(b, SET_BY_KEY, [{ key: 'absent', target: 'Processing' }]);
		expect(reported.json('Status')[0]).toMatchObject({ applied: false, reason: 'not_found', recordId: null });
		const failed = await runStatus(b, { ...SET_BY_KEY, options: { onSkip: 'fail' } }, [
			{ key: 'absent', target: 'Processing' },
		]);
		expect(failed.error?.message).toMatch(/not set: No record matches/);
		expect(await b.count()).toBe(1);
	});

	it('an illegal transition fails the item with onSkip=fail; Continue On Fail turns it into an error item', async () => {
		const b = backend();
		await b.seed([
			{ key: 'done', status: 'Completed' },
			{ key: 'p', status: 'Pending' },
		]);
		const params = { ...SET_BY_KEY, options: { onSkip: 'fail' } };
		const failed = await runStatus(b, params, [{ key: 'done', target: 'Processing' }]);
		expect(failed.error?.message).toMatch(/Completed -> Processing is not an allowed transition/);
		const r = await runStatus(
			b,
			params,
			[
				{ key: 'done', target: 'Processing' },
				{ key: 'p', target: 'Processing' },
			],
			{ onError: 'continueRegularOutput' },
		);
		const out = r.json('Status');
		expect(out[0].error).toMatch(/not an allowed transition/);
		expect(out[1]).toMatchObject({ applied: true, status: 'Processing' });
	});

	it('bad status values: an unknown target, or unreadable transitions, fail with a message naming them', async () => {
		const b = backend();
		await b.seed([{ key: 'p', status: 'Pending' }]);
		const unknown = await runStatus(b, SET_BY_KEY, [{ key: 'p', target: 'Finished' }]);
		expect(unknown.error?.message).toMatch(
			/"Finished" is not a status of the transition rules \(Pending, Processing, Completed, Failed\)/,
		);
		const cont = await runStatus(
			b,
			SET_BY_KEY,
			[
				{ key: 'p', target: 'Finished' },
				{ key: 'p', target: 'Processing' },
			],
			{ onError: 'continueRegularOutput' },
		);
		expect(cont.json('Status')[0].error).toMatch(/Finished/);
		expect(cont.json('Status')[1]).toMatchObject({ applied: true });
		const syntax = await runStatus(b, { ...SET_BY_KEY, transitions: 'Pending => Processing' }, [
			{ key: 'p', target: 'Processing' },
		]);
		expect(syntax.error?.message).toMatch(/Cannot read the transition "Pending => Processing"/);
		const emptyTarget = await runStatus(b, SET_BY_KEY, [{ key: 'p', target: '' }]);
		expect(emptyTarget.error?.message).toMatch(/"" is not a status/);
	});

	it('source priority: a status a user set later than the update is not overridden by the reconciler', async () => {
		const b = backend();
		const userTime = Date.parse('2026-01-01T10:00:00Z');
		await b.seed([{ key: 's', status: 'Processing', source: 'user', statusTime: userTime }]);
		const params = (source: string) => ({ ...SET_BY_KEY, options: { source, eventTime: '={{ $json.at }}' } });
		const early = await runStatus(b, params('reconciler'), [
			{ key: 's', target: 'Failed', at: '2026-01-01T09:59:00Z' },
		]);
		expect(early.json('Status')[0]).toMatchObject({ applied: false, reason: 'lower_priority' });
		const sameRankOrHigher = await runStatus(b, params('user'), [
			{ key: 's', target: 'Failed', at: '2026-01-01T09:58:00Z' },
		]);
		expect(sameRankOrHigher.json('Status')[0]).toMatchObject({ applied: true, status: 'Failed' });
		expect(await b.get('s')).toMatchObject({
			status: 'Failed',
			source: 'user',
			statusTime: Date.parse('2026-01-01T09:58:00Z'),
		});
		await b.seed([{ key: 's', status: 'Processing', source: 'user', statusTime: userTime }]);
		const later = await runStatus(b, params('reconciler'), [
			{ key: 's', target: 'Failed', at: '2026-01-01T10:01:00Z' },
		]);
		expect(later.json('Status')[0]).toMatchObject({ applied: true });
		expect(await b.get('s')).toMatchObject({ status: 'Failed', source: 'reconciler' });
	});

	it('refresh when unchanged writes the fields and the status time of a record already in the target status', async () => {
		const b = backend();
		const old = Date.now() - 3_600_000;
		await b.seed([{ key: 'r', status: 'Pending', version: 2, statusTime: old, attempts: 1 }]);
		const r = await runStatus(
			b,
			{
				...SET_BY_KEY,
				options: { refreshWhenUnchanged: true },
				extraFields: { field: [{ name: 'attempts', value: '={{ 2 }}' }] },
			},
			[{ key: 'r', target: 'Pending' }],
		);
		expect(r.json('Status')[0]).toMatchObject({ applied: true, reason: 'refreshed', version: 3 });
		const row = (await b.get('r'))!;
		expect(row).toMatchObject({ attempts: 2, version: 3 });
		expect(row.statusTime!).toBeGreaterThan(old + 3_000_000);
	});

	it('include input data: the input item rides along under "input" for later nodes', async () => {
		const b = backend();
		await b.seed([{ key: 'in', status: 'Pending' }]);
		const r = await runStatus(b, { ...SET_BY_KEY, options: { includeInput: true } }, [
			{ key: 'in', target: 'Processing', callbackUrl: 'https://x' },
		]);
		expect(r.json('Status')[0]).toMatchObject({
			applied: true,
			input: { key: 'in', target: 'Processing', callbackUrl: 'https://x' },
		});
	});

	it('find by record id works the same as by key', async () => {
		const b = backend();
		const ids = await b.seed([{ key: 'byid', status: 'Pending' }]);
		const r = await runStatus(
			b,
			{ operation: 'setStatus', findBy: 'id', recordId: '={{ $json.id }}', targetStatus: 'Processing' },
			[{ id: ids.get('byid') }],
		);
		expect(r.json('Status')[0]).toMatchObject({
			applied: true,
			recordId: ids.get('byid'),
			key: 'byid',
			status: 'Processing',
		});
	});

	it('find stuck: only records past their status age, oldest first, at most the limit (rows backdated, no waiting)', async () => {
		const b = backend();
		const now = Date.now();
		const min = 60_000;
		await b.seed([
			{ key: 'p-fresh', status: 'Pending', statusTime: now - 5 * min },
			{ key: 'p-11', status: 'Pending', statusTime: now - 11 * min },
			{ key: 'p-40', status: 'Pending', statusTime: now - 40 * min },
			{ key: 'r-20', status: 'Processing', statusTime: now - 20 * min },
			{ key: 'r-31', status: 'Processing', statusTime: now - 31 * min },
			{ key: 'r-90', status: 'Processing', statusTime: now - 90 * min },
			{ key: 'f-99', status: 'Failed', statusTime: now - 99 * min },
			{ key: 'c-99', status: 'Completed', statusTime: now - 99 * min },
		]);
		const params = (limit: number) => ({
			operation: 'findStuck',
			rules: {
				rule: [
					{ status: 'Pending', olderThanMinutes: 10 },
					{ status: 'Processing', olderThanMinutes: 30 },
				],
			},
			limit,
		});
		const all = await runStatus(b, params(50), [{}]);
		expect(all.error).toBeUndefined();
		expect(all.json('Status').map((o) => o.key)).toEqual(['r-90', 'p-40', 'r-31', 'p-11']);
		expect(all.json('Status')[0]).toMatchObject({ status: 'Processing', stuckMinutes: 90 });
		const two = await runStatus(b, params(2), [{}]);
		expect(two.json('Status').map((o) => o.key)).toEqual(['r-90', 'p-40']);
		const bad = await runStatus(b, { ...params(5), rules: { rule: [{ status: 'Stuck', olderThanMinutes: 1 }] } }, [{}]);
		expect(bad.error?.message).toMatch(/"Stuck" is not a status/);
	});
}
