/** Field type strategy "Intelligence" through a real Sync against the emulator: the created fields' types, and the values written. */
import { APP_TOKEN, useKit } from './feishuBitableKit';

const kit = useKit();
it('Create Missing Fields with Intelligence: flags, epoch dates, tag lists and selects become typed fields, values written as such', async () => {
	const tableId = await kit.newTable([{ field_name: 'Code', type: 1 }]);
	const rows = [
		{ Code: 'A', active: 'yes', paid_at: 1714550400000, tags: 'red, blue', stage: 'new' },
		{ Code: 'B', active: 'no', paid_at: 1714636800000, tags: 'blue', stage: 'paid' },
		{ Code: 'C', active: '是', paid_at: 1714723200000, tags: 'green; red', stage: 'new' },
		{ Code: 'D', active: '否', paid_at: 1714809600000, tags: 'red', stage: 'paid' },
	];
	const r = await kit.run(
		kit.sync(tableId, {
			mode: 'upsert',
			keyFields: ['Code'],
			syncOptions: { createMissingFields: true, strategy: 'intelligence' },
		}),
		rows,
	);
	expect(r.error).toBeUndefined();
	const fields = (await kit.emu.admin.dumpTable(APP_TOKEN, tableId)).fields as Array<{
		field_name: string;
		type: number;
	}>;
	const types = Object.fromEntries(fields.map((f) => [f.field_name, f.type]));
	expect(types).toMatchObject({ active: 7, paid_at: 5, tags: 4, stage: 3 });
	const a = (await kit.dump(tableId)).find((d) => d.plain.Code === 'A')!.plain;
	expect(a).toMatchObject({ active: true, paid_at: 1714550400000, stage: 'new' });
	expect([...(a.tags as string[])].sort()).toEqual(['blue', 'red']);
});
