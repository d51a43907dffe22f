/**
 * The monthly call count and budget (lib/feishu/usage.ts): months in Asia/Shanghai, counts shared through MySQL by
 * several processes, a failed flush not losing calls, and the caller counting every request it sends.
 */
import { createTestDatabase, type TestDatabase } from '../../harness/mysql';
import {
	BudgetReachedError,
	MonthlyUsage,
	monthSpend,
	mysqlUsageStore,
	underBudget,
	usageMonth,
} from '../../../lib/feishu/usage';
import { createPool, closePool } from '../../../lib/mysql/pool';
import { APP_TOKEN, startSetup } from './emulatorSetup';

const at = (iso: string) => Date.parse(iso);

describe('monthly usage', () => {
	it('counts months in Asia/Shanghai (UTC+8): 16:00 UTC on the last day is already next month', () => {
		expect(usageMonth(at('2026-11-30T15:59:59Z'))).toBe('2026-11');
		expect(usageMonth(at('2026-11-30T16:00:00Z'))).toBe('2026-12');
		const usage = new MonthlyUsage();
		usage.count(at('2026-11-30T15:00:00Z'), 5);
		expect(usage.spent(at('2026-11-30T15:30:00Z'))).toBe(5);
		// a new month starts from zero
		expect(usage.spent(at('2026-11-30T16:00:00Z'))).toBe(0);
	});

	it('the budget stops work at its figure, names it, and 0 means none', async () => {
		const usage = new MonthlyUsage();
		const now = at('2026-12-05T00:00:00Z');
		usage.count(now, 10);
		expect(underBudget(await monthSpend('cli_x', usage, now, undefined, 11))).toBe(true);
		const reached = await monthSpend('cli_x', usage, now, undefined, 10);
		expect(underBudget(reached)).toBe(false);
		expect(new BudgetReachedError(reached, 'The sync').message).toMatch(
			/10 API calls in 2026-12 \(Asia\/Shanghai\).*Monthly Call Budget is 10.*this n8n process only/,
		);
		expect(underBudget(await monthSpend('cli_x', usage, now, undefined, 0))).toBe(true);
	});

	it('a shared store adds what each process counted; a failed flush keeps the calls for the next one', async () => {
		const totals = new Map<string, number>();
		let fail = false;
		const store = {
			async add(appId: string, month: string, calls: number) {
				if (fail) throw new Error('down');
				const key = `${appId}|${month}`;
				totals.set(key, (totals.get(key) ?? 0) + calls);
				return totals.get(key)!;
			},
		};
		const now = at('2026-12-05T00:00:00Z');
		const one = new MonthlyUsage();
		const two = new MonthlyUsage();
		one.count(now, 3);
		two.count(now, 4);
		expect((await monthSpend('cli_x', one, now, store)).calls).toBe(3);
		expect(await monthSpend('cli_x', two, now, store)).toMatchObject({ calls: 7, shared: true });
		one.count(now, 2);
		fail = true;
		await expect(monthSpend('cli_x', one, now, store)).rejects.toThrow('down');
		fail = false;
		expect((await monthSpend('cli_x', one, now, store)).calls).toBe(9);
	});

	describe('in MySQL', () => {
		let db: TestDatabase;
		beforeAll(async () => {
			db = await createTestDatabase('usage');
		});
		afterAll(() => db.drop());

		it('two pools (two processes) add up in one row per app and month', async () => {
			const a = createPool(db.credentials as never, { connectionLimit: 1 });
			const b = createPool(db.credentials as never, { connectionLimit: 1 });
			try {
				const storeA = mysqlUsageStore(a);
				const storeB = mysqlUsageStore(b);
				expect(await storeA.add('cli_x', '2026-12', 5)).toBe(5);
				expect(await storeB.add('cli_x', '2026-12', 7)).toBe(12);
				expect(await storeB.add('cli_x', '2027-01', 1)).toBe(1);
				expect(await storeA.add('cli_y', '2026-12', 0)).toBe(0);
				const [rows] = await db.admin.query('SELECT app_id, month, calls FROM feishu_api_usage ORDER BY app_id, month');
				expect(rows).toEqual([
					{ app_id: 'cli_x', month: '2026-12', calls: 12 },
					{ app_id: 'cli_x', month: '2027-01', calls: 1 },
					{ app_id: 'cli_y', month: '2026-12', calls: 0 },
				]);
			} finally {
				await closePool(a);
				await closePool(b);
			}
		});
	});

	it("the caller counts every request it sends in the app's month", async () => {
		const setup = await startSetup();
		try {
			const session = setup.session();
			const before = session.caller.app.usage.spent(Date.now());
			await session.listFields(APP_TOKEN, setup.tableId);
			await session.searchPage(APP_TOKEN, setup.tableId, {}, 10);
			expect(session.caller.app.usage.spent(Date.now()) - before).toBe(2);
			expect(session.calls).toBe(2);
		} finally {
			await setup.close();
		}
	});
});
