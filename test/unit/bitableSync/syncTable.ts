/** Set-up shared by the sync suites that run against the emulator: the transport setup and a fresh table per test. */
import type { FieldSpec } from '../../emulators/feishu';
import type { FeishuAppConfig, FeishuSession } from '../../../lib/feishu';
import type { SyncRequest } from '../../../lib/bitableSync';
import { APP_TOKEN, startSetup, type Setup } from '../feishu/emulatorSetup';

export interface SyncTable {
	readonly setup: Setup;
	/** The current test's table. */
	readonly tableId: string;
	/** A session made for the current test. */
	readonly session: FeishuSession;
	/** An upsert by Key into the current test's table, with `over` (no items unless given). */
	request(over: Partial<SyncRequest>): SyncRequest;
}

/**
 * Registers the hooks of one transport setup for the file (closed after it) and, before each test, a new table
 * (`name` and a number; Key its primary field) and a session (`session` overriding the app config).
 * `beforeTable` runs first in each test (to reset what an earlier test set on the emulator).
 */
export function useSyncTable(
	name: string,
	fields: FieldSpec[],
	opts: { session?: Partial<FeishuAppConfig>; beforeTable?: (setup: Setup) => Promise<void> } = {},
): SyncTable {
	// filled in by the hooks below: the tests read them once these have run
	const t = {} as SyncTable & { setup: Setup; tableId: string; session: FeishuSession };
	let tables = 0;
	beforeAll(async () => {
		t.setup = await startSetup();
	});
	afterAll(() => t.setup?.close());
	beforeEach(async () => {
		await opts.beforeTable?.(t.setup);
		t.tableId = await t.setup.emu.admin.createTable({
			appToken: APP_TOKEN,
			name: `${name} ${++tables}`,
			fields,
			primaryField: 'Key',
		});
		t.session = t.setup.session(opts.session);
	});
	return Object.assign(t, {
		request: (over: Partial<SyncRequest>): SyncRequest => ({
			appToken: APP_TOKEN,
			tableId: t.tableId,
			mode: 'upsert',
			keyFields: ['Key'],
			items: [],
			...over,
		}),
	});
}
