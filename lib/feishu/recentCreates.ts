/**
 * Records this process created recently, by table and key. Feishu's search may show a write only some time later
 * (docs/feishu-api.md, "Paging and consistency"), so a create-if-missing that finds no record by search checks here
 * and reads the remembered record by id (batch_get is not lagged) before creating again. Process-local: workers of
 * n8n's queue mode each have their own.
 */
export class RecentCreates {
	private readonly tables = new Map<string, Map<string, { id: string; at: number }>>();

	constructor(
		private readonly ttlMs = 10 * 60_000,
		private readonly maxPerTable = 100_000,
	) {}

	remember(scope: string, key: string, recordId: string, now = Date.now()): void {
		let table = this.tables.get(scope);
		if (!table) this.tables.set(scope, (table = new Map()));
		table.delete(key);
		table.set(key, { id: recordId, at: now });
		if (table.size > this.maxPerTable) table.delete(table.keys().next().value as string);
	}

	/** Remembered record ids of these keys (expired entries dropped). */
	lookup(scope: string, keys: Iterable<string>, now = Date.now()): Map<string, string> {
		const out = new Map<string, string>();
		const table = this.tables.get(scope);
		if (!table) return out;
		for (const key of keys) {
			const entry = table.get(key);
			if (!entry) continue;
			if (now - entry.at > this.ttlMs) table.delete(key);
			else out.set(key, entry.id);
		}
		return out;
	}

	forgetIds(scope: string, ids: Iterable<string>): void {
		const table = this.tables.get(scope);
		if (!table) return;
		const gone = new Set(ids);
		for (const [key, entry] of table) if (gone.has(entry.id)) table.delete(key);
	}
}

export const recentCreates = new RecentCreates();

export const tableScope = (appToken: string, tableId: string): string => `${appToken}/${tableId}`;
