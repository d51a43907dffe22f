/** Shared setup for the Feishu Bitable node tests: an emulator, one app added to one base, and a runner per sync. */
import type { IDataObject, ILoadOptionsFunctions, INodeParameters } from 'n8n-workflow';
import { FeishuBitable } from '../../nodes/FeishuBitable/FeishuBitable.node';
import type { FeishuEmulator, FeishuEmulatorOptions, FieldSpec, DumpedRecord } from '../emulators/feishu';
import { appCredential, startAppInBase } from '../unit/feishu/emulatorSetup';
import { HarnessNodeTypes, MANUAL_TRIGGER, WorkflowRunner, type HarnessNode } from '../harness';

export const APP = { appId: 'cli_bitable_test', appSecret: 'bitable-secret' };
export const APP_TOKEN = 'bascnSyncTestBase0000000001';
export const nodeTypes = new HarnessNodeTypes();
export const BITABLE = nodeTypes.register(FeishuBitable);

export interface Kit {
	emu: FeishuEmulator;
	credentials: Record<string, IDataObject>;
	newTable(fields: FieldSpec[], name?: string): Promise<string>;
	/** A runner for the Sync node with these parameters (base and table filled in). */
	sync(tableId: string, parameters: INodeParameters, node?: Partial<HarnessNode>): WorkflowRunner;
	/** A runner for any operation of the node. */
	node(parameters: INodeParameters, node?: Partial<HarnessNode>): WorkflowRunner;
	run(runner: WorkflowRunner, items: IDataObject[]): ReturnType<WorkflowRunner['run']>;
	dump(tableId: string): Promise<DumpedRecord[]>;
	/** Record write calls (create/update/delete, batch or not) plus field creations. */
	writeCalls(): Promise<number>;
	/**
	 * What the editor hands the node's loadOptions and listSearch methods: the node's `parameters` (resource locators
	 * as saved) and, for a parameter inside a collection, the `current` entry's values.
	 */
	loadContext(parameters: Record<string, unknown>, current?: Record<string, unknown>): ILoadOptionsFunctions;
	close(): Promise<void>;
}

let tables = 0;

/**
 * startKit for the enclosing describe (or file): the kit returned is filled in before the first test and closed
 * after the last.
 */
export function useKit(opts: FeishuEmulatorOptions = {}): Kit {
	const kit = {} as Kit;
	beforeAll(async () => {
		Object.assign(kit, await startKit(opts));
	});
	afterAll(() => kit.close?.());
	return kit;
}

export async function startKit(opts: FeishuEmulatorOptions = {}): Promise<Kit> {
	const emu = await startAppInBase({ ...APP, name: 'Sync Test App' }, APP_TOKEN, { baseName: 'Sync Base', ...opts });
	const credentials = { feishuAppApi: appCredential(APP, emu) };
	const node = (parameters: INodeParameters, extra: Partial<HarnessNode> = {}): WorkflowRunner =>
		new WorkflowRunner(nodeTypes, {
			nodes: [MANUAL_TRIGGER, { name: 'Bitable', type: BITABLE, parameters, credentials: ['feishuAppApi'], ...extra }],
			connections: [['Start', 'Bitable']],
		});
	return {
		emu,
		credentials,
		newTable: (fields, name) => emu.admin.createTable({ appToken: APP_TOKEN, name: name ?? `T${++tables}`, fields }),
		node,
		sync: (tableId, parameters, extra) =>
			node(
				{
					resource: 'sync',
					base: { __rl: true, mode: 'id', value: APP_TOKEN },
					table: { __rl: true, mode: 'id', value: tableId },
					...parameters,
				},
				extra,
			),
		run: (runner, items) => runner.run({ credentials, pinData: { Start: items } }),
		dump: async (tableId) => (await emu.admin.dumpTable(APP_TOKEN, tableId)).records,
		writeCalls: async () => {
			const c = await emu.admin.counters();
			return c.writeCalls;
		},
		loadContext: (parameters, current = {}) =>
			({
				getCredentials: async () => credentials.feishuAppApi,
				getNodeParameter: (name: string, fallback: unknown, opts?: { extractValue?: boolean }) => {
					const v = parameters[name] as { value?: unknown } | undefined;
					return v === undefined ? fallback : opts?.extractValue ? v.value : v;
				},
				getCurrentNodeParameter: (name: string) => current[name],
				logger: undefined,
			}) as unknown as ILoadOptionsFunctions,
		close: () => emu.close(),
	};
}

/**
 * Fields written as "Name:type Name:type …" in order (type numbers as in docs/feishu-api.md), with the property of
 * those that need one (a select's options, a link's table).
 */
export function fieldsOf(spec: string, properties: Record<string, FieldSpec['property']> = {}): FieldSpec[] {
	return spec
		.trim()
		.split(/\s+/)
		.map((entry) => {
			const [field_name, type] = entry.split(':');
			return {
				field_name,
				type: Number(type),
				...(field_name in properties ? { property: properties[field_name] } : {}),
			};
		});
}

/** The property of a single select offering Open and Closed. */
export const OPEN_CLOSED = { options: [{ name: 'Open' }, { name: 'Closed' }] };

/** Counts per key of a dumped table (a plain-form field). */
export function keyCounts(records: DumpedRecord[], field: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const r of records) {
		const k = String(r.plain[field]);
		counts.set(k, (counts.get(k) ?? 0) + 1);
	}
	return counts;
}
