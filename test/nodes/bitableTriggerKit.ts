/** The Feishu Bitable Trigger suites' kit: an emulator with the app, a person and the base, a table per test. */
import { FeishuBitableTrigger } from '../../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node';
import { HarnessNodeTypes, type WorkflowRunner, pollOnce } from '../harness';
import type { FeishuEmulator } from '../emulators/feishu';
import { appCredential, startAppInBase } from '../unit/feishu/emulatorSetup';
import { bitableTriggerRunner } from './bitableTriggerRunner';
import { fieldsOf } from './feishuBitableKit';

/** The person whose edits the trigger reports (the app itself is not "someone"). */
export const HUMAN = 'ou_feishu_user';

type Fields = Record<string, unknown>;

export interface TriggerKit {
	readonly emulator: FeishuEmulator;
	readonly credentials: Record<string, object>;
	readonly nodeTypes: HarnessNodeTypes;
	readonly type: string;
	/** The table the current test watches (a new one per test, with the kit's fields). */
	readonly tableId: string;
	/** The trigger on the test's table (or on `tableId`). */
	runner(parameters?: Record<string, unknown>, tableId?: string): WorkflowRunner;
	/** One poll as n8n's scheduler (or the editor's "fetch test event") makes it: the items emitted. */
	poll(r: WorkflowRunner, mode?: 'trigger' | 'manual'): Promise<Array<Record<string, any>>>;
	/** Records a person types in (into the test's table unless another is named), at `modifiedTime` if given. */
	typeIn(records: Fields[], opts?: { modifiedTime?: number; tableId?: string }): Promise<string[]>;
}

/**
 * Registers the hooks of one emulator with the app, the person and the base for the enclosing describe,
 * and a fresh table with `fields` (as fieldsOf reads them) before each test.
 */
export function useBitableTriggerKit(
	app: { appId: string; appSecret: string },
	appToken: string,
	seed: number,
	fields: string,
): TriggerKit {
	const nodeTypes = new HarnessNodeTypes();
	const type = nodeTypes.register(FeishuBitableTrigger);
	// filled in by the hooks below: the tests read them once these have run
	const kit = { nodeTypes, type } as TriggerKit & {
		emulator: FeishuEmulator;
		credentials: Record<string, object>;
		tableId: string;
	};
	beforeAll(async () => {
		kit.emulator = await startAppInBase(app, appToken, { seed });
		await kit.emulator.admin.addUser({ open_id: HUMAN, name: 'Feishu User' });
		kit.credentials = { feishuAppApi: appCredential(app, kit.emulator) };
	});
	afterAll(() => kit.emulator?.close());
	beforeEach(async () => {
		kit.tableId = await kit.emulator.admin.createTable({
			appToken,
			name: `Tasks ${Math.random()}`,
			fields: fieldsOf(fields),
		});
	});
	return Object.assign(kit, {
		runner: (parameters: Record<string, unknown> = {}, table = kit.tableId) =>
			bitableTriggerRunner(nodeTypes, type, appToken, table, parameters),
		poll: async (r: WorkflowRunner, mode: 'trigger' | 'manual' = 'trigger') =>
			((await pollOnce(r, 'Trigger', { credentials: kit.credentials, mode })) ?? []).map(
				(i) => i.json as Record<string, any>,
			),
		typeIn: (
			records: Fields[],
			{ modifiedTime, tableId: table = kit.tableId }: { modifiedTime?: number; tableId?: string } = {},
		) =>
			kit.emulator.admin.seedRecords({
				appToken,
				tableId: table,
				records: records.map((f) => ({ fields: f, asUser: HUMAN, createdTime: modifiedTime, modifiedTime })),
			}),
	});
}
