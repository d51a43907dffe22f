/**
 * The app's Feishu API calls per calendar month (Asia/Shanghai, where Feishu counts the monthly quota), and the
 * budget that stops optional work before the quota runs out (docs/bitable-sync-economy.md, "Monthly call budget").
 *
 * Every request the caller sends is counted in the app's state (this process). With a shared store (MySQL, e.g.
 * the Sync node's MySQL credential) the counts of every process are added up there: each process adds what it
 * counted since its last flush and reads the month's total back.
 */

/** Asia/Shanghai has no daylight saving time: UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** "2026-12": the calendar month of `now` in Asia/Shanghai. */
import { ServiceError } from '../errors';
export function usageMonth(now: number): string {
	return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/** Calls counted in this process for one app, per month. */
export class MonthlyUsage {
	private month = '';
	private calls = 0;
	private unflushed = 0;

	count(now: number, n = 1): void {
		this.roll(now);
		this.calls += n;
		this.unflushed += n;
	}

	/** The calls this process counted this month. */
	spent(now: number): number {
		this.roll(now);
		return this.calls;
	}

	/** Calls counted since the last flush to a shared store (and forgets them: the caller adds them there). */
	takeUnflushed(now: number): { month: string; calls: number } {
		this.roll(now);
		const taken = { month: this.month, calls: this.unflushed };
		this.unflushed = 0;
		return taken;
	}

	/** Gives back calls a failed flush could not add. */
	restore(month: string, calls: number): void {
		if (month === this.month) this.unflushed += calls;
	}

	private roll(now: number): void {
		const month = usageMonth(now);
		if (month === this.month) return;
		this.month = month;
		this.calls = 0;
		this.unflushed = 0;
	}
}

/** Month totals shared by every process using the app (atomic add, then read). */
export interface SharedUsageStore {
	/** Adds `calls` to the app's month and answers the month's new total. */
	add(appId: string, month: string, calls: number): Promise<number>;
}

export interface MonthSpend {
	month: string;
	/** Calls this month: this process's, or every process's when `shared`. */
	calls: number;
	shared: boolean;
	budget?: number;
}

/** The month's spend; with a shared store, this process's new calls are added there first. */
export async function monthSpend(
	appId: string,
	usage: MonthlyUsage,
	now: number,
	store?: SharedUsageStore,
	budget?: number,
): Promise<MonthSpend> {
	const withBudget = (s: MonthSpend): MonthSpend => (budget && budget > 0 ? { ...s, budget } : s);
	if (!store) return withBudget({ month: usageMonth(now), calls: usage.spent(now), shared: false });
	const { month, calls } = usage.takeUnflushed(now);
	try {
		return withBudget({ month, calls: await store.add(appId, month, calls), shared: true });
	} catch (error) {
		usage.restore(month, calls);
		throw error;
	}
}

export class BudgetReachedError extends ServiceError {
	constructor(
		readonly spend: MonthSpend,
		what: string,
	) {
		super(
			`${what} refused: the Feishu app has made ${spend.calls} API calls in ${spend.month} (Asia/Shanghai), and its Monthly Call Budget is ${spend.budget}` +
				(spend.shared ? '' : ' (counted in this n8n process only)'),
			{ service: 'feishu', kind: 'refused' },
		);
	}
}

/** Whether optional work may start: under the budget (none set, or 0: always). */
export function underBudget(spend: MonthSpend): boolean {
	return !spend.budget || spend.calls < spend.budget;
}

/** A MySQL-backed shared store: one row per app and month (the table is created on first use). */
export function mysqlUsageStore(
	pool: { query(sql: string, values?: unknown[]): Promise<unknown> },
	table = 'feishu_api_usage',
): SharedUsageStore {
	if (!/^[A-Za-z0-9_]{1,64}$/.test(table)) throw new Error(`"${table}" is not a plain table name (letters, digits, _)`);
	let ready: Promise<unknown> | undefined;
	return {
		async add(appId, month, calls) {
			ready ??= pool.query(
				`CREATE TABLE IF NOT EXISTS \`${table}\` (app_id VARCHAR(64) NOT NULL, month CHAR(7) NOT NULL, calls BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (app_id, month))`,
			);
			await ready;
			await pool.query(
				`INSERT INTO \`${table}\` (app_id, month, calls) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE calls = calls + VALUES(calls)`,
				[appId, month, calls],
			);
			const [rows] = (await pool.query(`SELECT calls FROM \`${table}\` WHERE app_id = ? AND month = ?`, [
				appId,
				month,
			])) as [{ calls: unknown }[]];
			return Number(rows[0]?.calls ?? 0);
		},
	};
}
