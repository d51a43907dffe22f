import { SourcePriority, StatusMachine, setStatus, UnknownStatusError } from '../../../lib/recordStatus';
import type { RecordLocator, StatusSnapshot, StatusStore, StatusWrite, WriteGuard } from '../../../lib/recordStatus';

/**
 * An in-memory store with the same guard semantics as the real ones, and a hook that lets another
 * writer win between our read and our write (what a concurrent execution does).
 */
class MemoryStore implements StatusStore {
	readonly hasVersion = true;
	readonly hasSource = true;
	rows = new Map<string, StatusSnapshot>();
	beforeWrite?: () => void;
	beforeCreate?: () => void;
	writes = 0;

	put(key: string, status: string, version = 0, extra: Partial<StatusSnapshot> = {}) {
		this.rows.set(key, { id: `id-${key}`, key, status, version, fields: {}, ...extra });
	}
	async read(locator: RecordLocator) {
		const row = [...this.rows.values()].find((r) => (locator.by === 'key' ? r.key : r.id) === locator.value);
		return row ? structuredClone(row) : undefined;
	}
	async write(record: StatusSnapshot, write: StatusWrite, guard: WriteGuard) {
		this.beforeWrite?.();
		this.beforeWrite = undefined;
		const row = this.rows.get(record.key!)!;
		if (!guard.allowedFrom.includes(row.status)) return false;
		if (guard.expectedVersion !== undefined && row.version !== guard.expectedVersion) return false;
		this.writes++;
		Object.assign(row, {
			status: write.status,
			version: write.version,
			source: write.source,
			statusTime: write.statusTime,
		});
		Object.assign(row.fields, write.fields);
		return true;
	}
	async create(key: string, write: StatusWrite) {
		this.beforeCreate?.();
		const existing = this.rows.get(key);
		if (existing) return { record: structuredClone(existing), created: false };
		this.put(key, write.status, write.version ?? 0, { fields: { ...write.fields } });
		return { record: structuredClone(this.rows.get(key)!), created: true };
	}
	async findStuck() {
		return [];
	}
}

const machine = new StatusMachine();
const byKey = (value: string): RecordLocator => ({ by: 'key', value });
/** Set Status of the record with key `key` to `target` (at time 1, no fields), with `more` of the request. */
const setTo = (store: MemoryStore, key: string, target: string, more: Partial<Parameters<typeof setStatus>[1]> = {}) =>
	setStatus({ store, machine }, { locator: byKey(key), target, at: 1, fields: {}, ...more });
/** Another writer changes the record with key `key` between this write's read and its write. */
const raceOn = (store: MemoryStore, key: string, change: Record<string, unknown>) => {
	store.beforeWrite = () => Object.assign(store.rows.get(key)!, change);
};

describe('setStatus: losing a race between read and write', () => {
	it('with the version read, a lost race is reported as a conflict, or retried on the fresh version by option', async () => {
		const store = new MemoryStore();
		store.put('t', 'Processing', 1);
		// Someone bumps the version (e.g. writes an error message) without changing the status.
		raceOn(store, 't', { version: 2 });
		expect(await setTo(store, 't', 'Completed')).toMatchObject({
			applied: false,
			reason: 'version_conflict',
			status: 'Processing',
			version: 2,
			attempts: 2,
		});

		raceOn(store, 't', { version: 3 });
		const retried = await setTo(store, 't', 'Completed', { onConflict: 'retry' });
		expect(retried).toMatchObject({
			applied: true,
			previousStatus: 'Processing',
			status: 'Completed',
			version: 4,
			attempts: 2,
		});
	});

	it('a winner that made the update a no-op or illegal is reported as such, not as a conflict', async () => {
		const store = new MemoryStore();
		store.put('t', 'Processing', 1);
		raceOn(store, 't', { status: 'Completed', version: 2 });
		const same = await setTo(store, 't', 'Completed');
		expect(same).toMatchObject({ applied: false, reason: 'unchanged' });
		store.put('u', 'Processing', 1);
		raceOn(store, 'u', { status: 'Completed', version: 2 });
		const illegal = await setTo(store, 'u', 'Failed', { onConflict: 'retry' });
		expect(illegal).toMatchObject({ applied: false, reason: 'illegal_transition', previousStatus: 'Completed' });
	});

	it('a version given by the caller is never retried past: the fresh read reports the conflict', async () => {
		const store = new MemoryStore();
		store.put('t', 'Processing', 1);
		raceOn(store, 't', { version: 2 });
		const r = await setTo(store, 't', 'Failed', { expectedVersion: 1, onConflict: 'retry' });
		expect(r).toMatchObject({ applied: false, reason: 'version_conflict', version: 2 });
		expect(store.writes).toBe(0);
	});

	it('create if missing: when another writer created the key first, the update applies to that record', async () => {
		const store = new MemoryStore();
		store.beforeCreate = () => {
			store.beforeCreate = undefined;
			store.put('n', 'Pending', 0);
		};
		const r = await setTo(store, 'n', 'Processing', { createIfMissing: true });
		expect(r).toMatchObject({ applied: true, previousStatus: 'Pending', status: 'Processing', version: 1 });
		expect(store.rows.size).toBe(1);
	});

	it('fields on create only go into a create, not into the update of a record another writer created first', async () => {
		const store = new MemoryStore();
		const req = {
			target: 'Pending',
			at: 1,
			fields: { a: 'always' },
			createOnlyFields: { b: 'on create', a: 'loses' },
			createIfMissing: true,
		};
		const made = await setStatus({ store, machine }, { ...req, locator: byKey('c') });
		expect(made).toMatchObject({ applied: true, reason: 'created' });
		expect(store.rows.get('c')!.fields).toEqual({ a: 'always', b: 'on create' });

		store.beforeCreate = () => {
			store.beforeCreate = undefined;
			store.put('raced', '', 0, { fields: { b: 'set by the other writer' } });
		};
		const raced = await setStatus({ store, machine }, { ...req, locator: byKey('raced') });
		expect(raced).toMatchObject({ applied: true, previousStatus: '', status: 'Pending' });
		expect(store.rows.get('raced')!.fields).toEqual({ a: 'always', b: 'set by the other writer' });
	});

	it('create if missing needs a key (a record id cannot be invented)', async () => {
		const store = new MemoryStore();
		const r = await setStatus(
			{ store, machine },
			{ locator: { by: 'id', value: 'rec404' }, target: 'Pending', at: 1, fields: {}, createIfMissing: true },
		);
		expect(r).toMatchObject({ applied: false, reason: 'not_found' });
	});

	it('an unknown target status is refused before anything is read', async () => {
		const store = new MemoryStore();
		await expect(setTo(store, 'x', 'Done')).rejects.toBeInstanceOf(UnknownStatusError);
	});

	it('source priority is also part of the write guard it hands the store', async () => {
		const store = new MemoryStore();
		store.put('p', 'Processing', 0);
		let guard: WriteGuard | undefined;
		const write = store.write.bind(store);
		store.write = async (r, w, g) => {
			guard = g;
			return write(r, w, g);
		};
		await setStatus(
			{ store, machine, priority: new SourcePriority() },
			{ locator: byKey('p'), target: 'Failed', source: 'reconciler', at: 500, fields: {} },
		);
		expect(guard?.outranking).toEqual({ sources: ['user', 'workflow'], notAfter: 500 });
	});
});
