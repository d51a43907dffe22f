import { createPool, closePool, type MySqlPool } from '../../../lib/mysql';
import { MySqlStateStore } from '../../../lib/wpsContactsSync/state/mysqlStateStore';
import { LockBusyError, LockLostError } from '../../../lib/wpsContactsSync/state/stateStore';
import { createTestDatabase, type TestDatabase } from '../../harness';
import type { Operation } from '../../../lib/wpsContactsSync/types';

describe('MySQL state store', () => {
	let db: TestDatabase;
	let pool: MySqlPool;
	let other: MySqlPool;
	beforeAll(async () => {
		db = await createTestDatabase('wpsstate');
		pool = createPool(db.credentials as never);
		other = createPool(db.credentials as never);
	});
	afterAll(async () => {
		await closePool(pool);
		await closePool(other);
		await db.drop();
	});

	test('creates its tables on first use and keeps records, stages, runs and checkpoints', async () => {
		const store = await MySqlStateStore.open(pool, 'target-a');
		expect(await store.loadMeta()).toEqual({ runsSinceFull: 0, needsFull: false });
		await store.saveMeta({ runsSinceFull: 2, needsFull: true, rootId: '1' });
		expect(await store.loadMeta()).toEqual({ runsSinceFull: 2, needsFull: true, rootId: '1' });
		const user = {
			kind: 'user' as const,
			ex: 'e1',
			writtenAt: 5,
			disabledAt: 7,
			data: {
				id: 'u1',
				exId: 'e1',
				status: 'disabled' as const,
				deptIds: ['1'],
				mainDeptId: '1',
				leaderId: '',
				fields: { user_name: 'Ann' },
			},
		};
		await store.saveRecordChanges({
			upserts: [
				user,
				{ kind: 'dept', ex: 'd1', writtenAt: 5, data: { id: '9', exId: 'd1', name: 'Sales', parentId: '1', order: 0 } },
			],
			deletes: [],
		});
		const records = await store.loadRecords();
		expect(records.users.get('e1')).toEqual(user);
		await store.saveRecordChanges({ upserts: [], deletes: [{ kind: 'dept', ex: 'd1' }] });
		expect((await store.loadRecords()).depts.size).toBe(0);

		// a staged snapshot larger than MySQL's default 16 MB packet goes in pieces
		const big = {
			upserts: Array.from({ length: 60_000 }, (_, i) => ({
				...user,
				ex: `e${i}`,
				data: { ...user.data, fields: { user_name: `名字 ${i} ${'x'.repeat(250)}` } },
			})),
			deletes: [],
		};
		await store.stage('plan-1', big);
		expect(await store.loadStage('plan-1')).toEqual(big);
		expect(await store.loadStage('nope')).toBeUndefined();

		const ops: Operation[] = [
			{
				id: 'dept.create:d2',
				kind: 'dept.create',
				object: 'dept',
				exId: 'd2',
				label: 'New',
				before: null,
				after: { name: 'New' },
				dependsOn: [],
			},
		];
		await store.startRun({ runId: 'run-1', planId: 'plan-1', operations: ops, startedAt: 1 });
		const checkpoint = await store.checkpoint('run-1');
		await checkpoint.record([
			{
				id: 'dept.create:d2',
				kind: 'dept.create',
				exId: 'd2',
				label: 'New',
				status: 'done',
				wpsId: '77',
				durationMs: 3,
			},
		]);
		// what a new process finds
		const again = await MySqlStateStore.open(other, 'target-a');
		expect(await again.unfinishedRun()).toMatchObject({ runId: 'run-1', planId: 'plan-1', operations: ops });
		expect([...(await again.checkpoint('run-1')).finished]).toEqual([
			['dept.create:d2', { status: 'done', wpsId: '77' }],
		]);
		await again.finishRun('run-1', 'done', { ok: true }, ops);
		expect(await again.unfinishedRun()).toBeUndefined();
		expect(await again.reverseOf('run-1')).toEqual(ops);
		// another target shares nothing
		expect((await (await MySqlStateStore.open(pool, 'target-b')).loadRecords()).users.size).toBe(0);
	});

	test('one run per target: the lock is refused or waited for across connections', async () => {
		const a = await MySqlStateStore.open(pool, 'target-lock');
		const b = await MySqlStateStore.open(other, 'target-lock');
		let release!: () => void;
		const held = a.withLock(1, () => new Promise<void>((resolve) => (release = resolve)));
		await new Promise((r) => setTimeout(r, 50));
		await expect(b.withLock(0, async () => 'never')).rejects.toBeInstanceOf(LockBusyError);
		const waiting = b.withLock(5, async () => 'after');
		release();
		await held;
		await expect(waiting).resolves.toBe('after');
		// another target is not blocked
		await expect((await MySqlStateStore.open(other, 'target-other')).withLock(0, async () => 'free')).resolves.toBe(
			'free',
		);
	});

	test('a lock held for hours: checked on its own connection before each write; a dropped connection is a lost lock, never two holders', async () => {
		const a = await MySqlStateStore.open(pool, 'target-lost');
		const b = await MySqlStateStore.open(other, 'target-lost');
		const events: string[] = [];
		const run = a.withLock(0, async (lock) => {
			await lock.assertHeld();
			events.push('write 1');
			// the server ends the lock's connection (a proxy's idle cut, a failover): MySQL releases the lock
			const [rows] = await db.admin.query('SELECT ID FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK(?)', [
				a.lockKey,
			]);
			await db.admin.query(`KILL ${Number((rows as Array<{ ID: number }>)[0].ID)}`);
			// another run can take the lock now
			// (KILL returns before the server has released the lock: b's GET_LOCK waits for it, up to 5 s)
			events.push(await b.withLock(5, async () => 'b wrote'));
			await lock.assertHeld();
			events.push('write 2');
		});
		await expect(run).rejects.toBeInstanceOf(LockLostError);
		expect(events).toEqual(['write 1', 'b wrote']);
		// the pool is fine afterwards and the lock free
		await expect(a.withLock(0, async (lock) => (await lock.assertHeld(), 'again'))).resolves.toBe('again');
	});

	test("the lock's connection is pinged every keepAliveMs while held (injected clock), and a tick finds a lost lock without a write", async () => {
		// count the statements sent on the lock's own connection
		let lockStatements = 0;
		const counting = new Proxy(pool, {
			get(target, prop) {
				if (prop !== 'getConnection') return Reflect.get(target, prop);
				return async () => {
					const connection = await target.getConnection();
					return new Proxy(connection, {
						get(c, p) {
							const value = Reflect.get(c, p);
							if (p !== 'query' || typeof value !== 'function')
								return typeof value === 'function' ? value.bind(c) : value;
							return (...args: unknown[]) => {
								lockStatements++;
								return value.apply(c, args);
							};
						},
					});
				};
			},
		}) as MySqlPool;
		const store = await MySqlStateStore.open(counting, 'target-alive');
		const ticks: { fn: () => void; ms: number; stopped: boolean }[] = [];
		store.schedule = (fn, ms) => {
			const tick = { fn, ms, stopped: false };
			ticks.push(tick);
			return () => void (tick.stopped = true);
		};
		const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
		await expect(
			store.withLock(0, async (lock) => {
				expect(ticks.map((t) => t.ms)).toEqual([60_000]);
				const afterGetLock = lockStatements;
				ticks[0].fn(); // a minute without a write: the keep-alive pings the lock's connection
				await settle();
				expect(lockStatements).toBe(afterGetLock + 1);
				ticks[0].fn();
				await settle();
				expect(lockStatements).toBe(afterGetLock + 2);
				// the connection is ended between two writes: the next tick marks the lock lost, and no write follows
				const [rows] = await db.admin.query(
					'SELECT ID FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK(?)',
					[store.lockKey],
				);
				await db.admin.query(`KILL ${Number((rows as Array<{ ID: number }>)[0].ID)}`);
				ticks[0].fn();
				await settle();
				const before = lockStatements;
				await lock.assertHeld().catch((error: unknown) => {
					expect(lockStatements).toBe(before); // known lost: no query needed
					throw error;
				});
			}),
		).rejects.toBeInstanceOf(LockLostError);
		expect(ticks[0].stopped).toBe(true);
	});
});
