import { ALICE, APP_TOKEN, body, startKit, type Kit } from './testkit';
import { joinSegments } from './index';

let k: Kit;
const path = () => ({ app_token: APP_TOKEN, table_id: k.tableId });
// 2026-03-01 00:00 in Asia/Shanghai is 2026-02-28 16:00 UTC
const MAR1_SH = Date.UTC(2026, 1, 28, 16, 0, 0);
const DAY = 86_400_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const search = (data: Record<string, any> = {}, params: Record<string, any> = {}) =>
	body(k.client.bitable.appTableRecord.search({ path: path(), params, data }));
const names = (res: any): string[] => res.data.items.map((i: any) => joinSegments(i.fields.Name)); // eslint-disable-line @typescript-eslint/no-explicit-any
const where = (conditions: unknown[], conjunction = 'and') =>
	search({ filter: { conjunction, conditions } }, { page_size: 500 });

describe('paging', () => {
	beforeAll(async () => {
		k = await startKit();
		await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: Array.from({ length: 1203 }, (_, i) => ({
				fields: { Name: `n${i}`, Amount: i },
				modifiedTime: 1_000_000 + i,
			})),
		});
	});
	afterAll(() => k.close());

	it('defaults page_size to 20, caps it at 500 (1254011 beyond, or below 1)', async () => {
		const first = await search();
		expect(first.data.items).toHaveLength(20);
		expect(first.data).toMatchObject({ has_more: true, total: 1203, page_token: expect.any(String) });
		expect((await search({}, { page_size: 500 })).data.items).toHaveLength(500);
		expect((await search({}, { page_size: 501 })).code).toBe(1254011);
		expect((await search({}, { page_size: 0 })).code).toBe(1254011);
	});

	it('pages with page_token while has_more, covering every record once', async () => {
		const seen: string[] = [];
		let page_token: string | undefined;
		let pages = 0;
		for (;;) {
			const res = await search({}, { page_size: 500, ...(page_token ? { page_token } : {}) });
			expect(res.code).toBe(0);
			pages++;
			seen.push(...names(res));
			if (!res.data.has_more) {
				expect(res.data.page_token).toBeUndefined();
				break;
			}
			page_token = res.data.page_token;
		}
		expect(pages).toBe(3);
		expect(seen).toHaveLength(1203);
		expect(new Set(seen).size).toBe(1203);
	});

	it('refuses a bad page_token with 1254002', async () => {
		expect((await search({}, { page_token: 'garbage' })).code).toBe(1254002);
	});

	it('sorts by modified time when no sort is given, and by sort otherwise', async () => {
		const res = await search({}, { page_size: 5 });
		expect(names(res)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
		const desc = await search({ sort: [{ field_name: 'Amount', desc: true }] }, { page_size: 3 });
		expect(names(desc)).toEqual(['n1202', 'n1201', 'n1200']);
		const byName = await search({ sort: [{ field_name: 'Name' }] }, { page_size: 3 });
		expect(names(byName)).toEqual(['n0', 'n1', 'n10']);
		expect((await search({ sort: [{ field_name: 'Nope' }] })).code).toBe(1254045);
	});
});

describe('order among equal modified times', () => {
	beforeAll(async () => {
		k = await startKit({ seed: 11 });
		await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: [
				...Array.from({ length: 30 }, (_, i) => ({ fields: { Name: `same${i}` }, modifiedTime: 5000 })),
				{ fields: { Name: 'early' }, modifiedTime: 1000 },
				{ fields: { Name: 'late' }, modifiedTime: 9000 },
			],
		});
	});
	afterAll(() => k.close());

	it('shuffles records sharing a modified time afresh on each search, keeping the rest sorted', async () => {
		const orders = new Set<string>();
		for (let i = 0; i < 4; i++) {
			const got = names(await search({ sort: [{ field_name: 'Modified' }] }, { page_size: 100 }));
			expect(got[0]).toBe('early');
			expect(got[31]).toBe('late');
			expect(new Set(got.slice(1, 31))).toEqual(new Set(Array.from({ length: 30 }, (_, j) => `same${j}`)));
			orders.add(got.join());
			const unsorted = names(await search({}, { page_size: 100 }));
			expect([unsorted[0], unsorted[31]]).toEqual(['early', 'late']);
			orders.add(unsorted.join());
		}
		expect(orders.size).toBeGreaterThan(1);
	});

	it('keeps one order across the pages of one search', async () => {
		const seen: string[] = [];
		let page_token: string | undefined;
		do {
			const res = await search(
				{ sort: [{ field_name: 'Modified' }] },
				{ page_size: 7, ...(page_token ? { page_token } : {}) },
			);
			seen.push(...names(res));
			page_token = res.data.has_more ? res.data.page_token : undefined;
		} while (page_token);
		expect(seen).toHaveLength(32);
		expect(new Set(seen).size).toBe(32);
	});
});

describe('filters', () => {
	beforeAll(async () => {
		k = await startKit();
		await k.emu.admin.addUser({ open_id: 'ou_bob', name: 'Bob' });
		await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: [
				{
					fields: {
						Name: 'alpha',
						Amount: 1,
						Status: 'New',
						Tags: ['x'],
						Due: MAR1_SH,
						Active: true,
						Owner: [{ id: ALICE.open_id }],
					},
				},
				{
					fields: {
						Name: 'Beta',
						Amount: 2,
						Status: 'Done',
						Tags: ['x', 'y'],
						Due: MAR1_SH + DAY - 1,
						Owner: [{ id: 'ou_bob' }],
					},
				},
				{ fields: { Name: 'gamma', Amount: 3, Tags: ['y'], Due: MAR1_SH + DAY } },
				{ fields: { Name: 'delta', Due: MAR1_SH - 1 } },
			],
		});
	});
	afterAll(() => k.close());

	const cond = (field_name: string, operator: string, value?: string[]) => ({
		field_name,
		operator,
		...(value ? { value } : {}),
	});
	const sorted = async (conditions: unknown[], conjunction = 'and') =>
		names(await where(conditions, conjunction)).sort();

	it('text: is, isNot, contains (case-insensitive), doesNotContain', async () => {
		expect(await sorted([cond('Name', 'is', ['alpha'])])).toEqual(['alpha']);
		expect(await sorted([cond('Name', 'isNot', ['alpha'])])).toEqual(['Beta', 'delta', 'gamma']);
		expect(await sorted([cond('Name', 'contains', ['ET'])])).toEqual(['Beta']);
		expect(await sorted([cond('Name', 'doesNotContain', ['a'])])).toEqual([]);
	});

	it('isEmpty / isNotEmpty', async () => {
		expect(await sorted([cond('Amount', 'isEmpty', [])])).toEqual(['delta']);
		expect(await sorted([cond('Status', 'isNotEmpty')])).toEqual(['Beta', 'alpha']);
		expect(await sorted([cond('Active', 'isEmpty', [])])).toEqual(['Beta', 'delta', 'gamma']);
	});

	it('numbers: is, isGreater, isGreaterEqual, isLess, isLessEqual', async () => {
		expect(await sorted([cond('Amount', 'is', ['2'])])).toEqual(['Beta']);
		expect(await sorted([cond('Amount', 'isGreater', ['1'])])).toEqual(['Beta', 'gamma']);
		expect(await sorted([cond('Amount', 'isGreaterEqual', ['2'])])).toEqual(['Beta', 'gamma']);
		expect(await sorted([cond('Amount', 'isLess', ['2'])])).toEqual(['alpha']);
		expect(await sorted([cond('Amount', 'isLessEqual', ['2'])])).toEqual(['Beta', 'alpha']);
	});

	it('selects, users and checkboxes', async () => {
		expect(await sorted([cond('Status', 'is', ['Done'])])).toEqual(['Beta']);
		expect(await sorted([cond('Tags', 'contains', ['y'])])).toEqual(['Beta', 'gamma']);
		expect(await sorted([cond('Tags', 'is', ['y', 'x'])])).toEqual(['Beta']);
		expect(await sorted([cond('Owner', 'contains', [ALICE.open_id])])).toEqual(['alpha']);
		expect(await sorted([cond('Active', 'is', ['true'])])).toEqual(['alpha']);
	});

	it('dates compare whole days in Asia/Shanghai via ["ExactDate", ms]', async () => {
		// any instant of 1 March (Shanghai) names that day
		const noon = String(MAR1_SH + 12 * 3600_000);
		expect(await sorted([cond('Due', 'is', ['ExactDate', noon])])).toEqual(['Beta', 'alpha']);
		expect(await sorted([cond('Due', 'isGreater', ['ExactDate', noon])])).toEqual(['gamma']);
		expect(await sorted([cond('Due', 'isLess', ['ExactDate', noon])])).toEqual(['delta']);
		// a bare timestamp is not a day
		expect((await where([cond('Due', 'is', [noon])])).code).toBe(1254018);
	});

	it('relative day words follow the emulator clock', async () => {
		await k.emu.admin.setClock({ offsetMs: MAR1_SH + 3600_000 - Date.now() });
		expect(await sorted([cond('Due', 'is', ['Today'])])).toEqual(['Beta', 'alpha']);
		expect(await sorted([cond('Due', 'is', ['Tomorrow'])])).toEqual(['gamma']);
		expect(await sorted([cond('Due', 'is', ['Yesterday'])])).toEqual(['delta']);
		await k.emu.admin.setClock({ offsetMs: 0 });
	});

	it('combines with and / or, and children groups', async () => {
		expect(await sorted([cond('Amount', 'isGreater', ['1']), cond('Tags', 'contains', ['x'])])).toEqual(['Beta']);
		expect(await sorted([cond('Name', 'is', ['alpha']), cond('Name', 'is', ['delta'])], 'or')).toEqual([
			'alpha',
			'delta',
		]);
		const nested = await search(
			{
				filter: {
					conjunction: 'and',
					conditions: [cond('Amount', 'isNotEmpty')],
					children: [{ conjunction: 'or', conditions: [cond('Name', 'is', ['alpha']), cond('Name', 'is', ['gamma'])] }],
				},
			},
			{ page_size: 10 },
		);
		expect(names(nested).sort()).toEqual(['alpha', 'gamma']);
	});

	it('allows at most 50 conditions and known operators and fields', async () => {
		const many = (n: number) => Array.from({ length: n }, () => cond('Amount', 'isNotEmpty'));
		expect((await where(many(50))).code).toBe(0);
		expect((await where(many(51))).code).toBe(1254018);
		expect((await where([cond('Amount', 'like', ['1'])])).code).toBe(1254018);
		expect((await where([cond('Nope', 'is', ['1'])])).code).toBe(1254045);
		expect((await where([cond('Amount', 'is', ['one'])])).code).toBe(1254018);
	});

	it('returns total for the filtered set', async () => {
		const res = await search(
			{ filter: { conjunction: 'and', conditions: [cond('Tags', 'isNotEmpty')] } },
			{ page_size: 1 },
		);
		expect(res.data).toMatchObject({ total: 3, has_more: true });
	});

	it('projects field_names and adds automatic_fields on demand', async () => {
		const res = await search({ field_names: ['Amount'], automatic_fields: true }, { page_size: 1 });
		expect(Object.keys(res.data.items[0].fields)).toEqual(['Amount']);
		expect(res.data.items[0]).toMatchObject({
			created_time: expect.any(Number),
			last_modified_time: expect.any(Number),
			created_by: { id: expect.any(String) },
		});
		const plain = await search({}, { page_size: 1 });
		expect(plain.data.items[0].created_time).toBeUndefined();
		expect((await search({ field_names: ['Nope'] })).code).toBe(1254045);
	});

	it('ignores view_id when a filter is given', async () => {
		const res = await search({
			view_id: 'vewAnything',
			filter: { conjunction: 'and', conditions: [cond('Name', 'is', ['gamma'])] },
		});
		expect(names(res)).toEqual(['gamma']);
	});
});

describe('a 100,000-record table', () => {
	beforeAll(async () => {
		k = await startKit({}, [
			{ field_name: 'Name', type: 1 },
			{ field_name: 'Amount', type: 2 },
			{ field_name: 'Modified', type: 1002 },
		]);
		for (let chunk = 0; chunk < 4; chunk++) {
			await k.emu.admin.seedRecords({
				appToken: APP_TOKEN,
				tableId: k.tableId,
				records: Array.from({ length: 25_000 }, (_, i) => ({
					fields: { Name: `n${chunk}-${i}`, Amount: i },
					modifiedTime: 1_000_000 + (i % 1000),
				})),
			});
		}
	});
	afterAll(() => k.close());

	it('pages through every record sorted by modified time within seconds', async () => {
		const started = Date.now();
		let page_token: string | undefined;
		let count = 0;
		do {
			const res = await search(
				{ sort: [{ field_name: 'Modified' }] },
				{ page_size: 500, ...(page_token ? { page_token } : {}) },
			);
			count += res.data.items.length;
			page_token = res.data.has_more ? res.data.page_token : undefined;
		} while (page_token);
		expect(count).toBe(100_000);
		expect(Date.now() - started).toBeLessThan(20_000);
	});
});
