import { createTestDatabase, type TestDatabase } from '../../harness';
import {
	MySqlSession,
	MySqlTableWatermarkStore,
	STATIC_DATA_KEY,
	StaticDataWatermarkStore,
	closePool,
	createPool,
	type MySqlPool,
	type WatermarkStore,
} from '../../../lib/mysql';

let db: TestDatabase;
let pool: MySqlPool;
let session: MySqlSession;

beforeAll(async () => {
	db = await createTestDatabase('ws');
	pool = createPool(db.credentials);
	session = new MySqlSession(pool, db.credentials);
});
afterAll(async () => {
	session.release();
	await closePool(pool);
	await db.drop();
});

const position = (value: number) => ({ value, tie: null, kind: 'number' as const, caughtUp: false });
const pending = (executionId: string, value: number) => ({
	executionId,
	position: position(value),
	config: 'c',
	rows: 1,
	readAt: 'now',
});
const stats = (executionId: string) => ({ executionId, rows: 1, full: false, at: 'now' });

function contract(label: string, open: () => WatermarkStore) {
	describe(label, () => {
		test('only the execution that read commits; a later read replaces the pending position', async () => {
			const store = open();
			await store.recordRead('w', pending('e1', 10), stats('e1'));
			expect(await store.commit('w', 'other', 'now')).toEqual({ committed: false });
			expect((await store.load('w')).committed).toBeUndefined();
			await store.recordRead('w', pending('e2', 20), stats('e2'));
			expect(await store.commit('w', 'e1', 'now')).toEqual({ committed: false });
			expect(await store.commit('w', 'e2', 'now')).toMatchObject({ committed: true, position: { value: 20 } });
			expect(await store.commit('w', 'e2', 'now')).toMatchObject({ committed: true });
			const state = await store.load('w');
			expect(state.committed).toMatchObject({ position: { value: 20 }, executionId: 'e2' });
			expect(state.pending).toBeUndefined();
		});

		test('a read without rows keeps the committed position; reset forgets it', async () => {
			const store = open();
			await store.recordRead('r', pending('e1', 5), stats('e1'));
			await store.commit('r', 'e1', 'now');
			await store.recordRead('r', undefined, { ...stats('e3'), rows: 0 });
			expect((await store.load('r')).committed?.position.value).toBe(5);
			expect((await store.load('r')).lastRead?.rows).toBe(0);
			await store.reset('r');
			expect(await store.load('r')).toEqual({});
		});
	});
}

const staticData: Record<string, unknown> = {};
contract('workflow static data', () => new StaticDataWatermarkStore(staticData));
contract('MySQL state table', () => new MySqlTableWatermarkStore(() => session.connect(), db.name, 'wm_state'));

test('static data survives a JSON round trip (as n8n saves it)', async () => {
	const data: Record<string, unknown> = {};
	await new StaticDataWatermarkStore(data).recordRead('j', pending('e1', 7), stats('e1'));
	const reloaded = JSON.parse(JSON.stringify(data));
	expect(Object.keys(reloaded)).toEqual([STATIC_DATA_KEY]);
	expect(await new StaticDataWatermarkStore(reloaded).commit('j', 'e1', 'now')).toMatchObject({ committed: true });
});
