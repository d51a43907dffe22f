import { type TenantFixture, err, startTenant } from './rawHttp';

describe('WPS emulator: cursor paging', () => {
	let t: TenantFixture;
	let deptIds: string[];
	beforeAll(async () => {
		t = await startTenant();
		const { depts } = await t.emu.admin.seedDepts(
			Array.from({ length: 120 }, (_, i) => ({ name: `D${i}`, order: i % 3 })),
		);
		deptIds = depts.map((d) => d.dept_id);
		await t.emu.admin.seedUsers(
			Array.from({ length: 130 }, (_, i) => ({ user_name: `U${i}`, dept_ids: [deptIds[i % 2]] })),
		);
	});
	afterAll(() => t.emu.close());

	/** Departments and users are keyed `id`; memberships name their user `user_id`. */
	const keyOf = (item: any): string => item.id ?? item.user_id;

	async function walk(path: string, pageSize?: number): Promise<{ ids: string[]; sizes: number[] }> {
		const ids: string[] = [];
		const sizes: number[] = [];
		let token = '';
		do {
			const sep = path.includes('?') ? '&' : '?';
			const size = pageSize ? `&page_size=${pageSize}` : '';
			const page = await t.get(`${path}${sep}page_token=${encodeURIComponent(token)}${size}`);
			ids.push(...page.items.map(keyOf));
			sizes.push(page.items.length);
			token = page.next_page_token;
		} while (token);
		return { ids, sizes };
	}

	it('pages 10 at a time by default and up to 50, covering every child once, in order', async () => {
		const byDefault = await walk(`/v7/depts/${t.rootId}/children`);
		expect(byDefault.sizes.slice(0, -1).every((n) => n === 10)).toBe(true);
		expect(byDefault.ids).toHaveLength(120);
		expect(new Set(byDefault.ids).size).toBe(120);
		const big = await walk(`/v7/depts/${t.rootId}/children`, 50);
		expect(big.sizes).toEqual([50, 50, 20]);
		expect(big.ids).toEqual(byDefault.ids);
		// Sorted by order, then creation.
		const orders = big.ids.map((id) => deptIds.indexOf(id) % 3);
		expect([...orders].sort()).toEqual(orders);
	});

	it('refuses page sizes past 50 (or below 1) with 400000003', async () => {
		for (const size of ['51', '0', 'abc']) {
			expect(err(await t.api('GET', `/v7/depts/${t.rootId}/children?page_size=${size}`))).toEqual({
				status: 400,
				code: 400000003,
				reason: 'invalid_page_size',
			});
		}
		expect(err(await t.api('GET', `/v7/users?status=active&page_size=51`)).reason).toBe('invalid_page_size');
		expect(err(await t.api('GET', `/v7/depts/${deptIds[0]}/members?status=active&page_size=100`)).reason).toBe(
			'invalid_page_size',
		);
		expect(err(await t.api('GET', `/v7/depts/${t.rootId}/children?page_token=garbage`)).reason).toBe(
			'invalid_page_token',
		);
	});

	it('reports the total on request and keeps a cursor valid across deletions', async () => {
		const first = await t.get(`/v7/depts/${t.rootId}/children?page_size=50&with_total=true`);
		expect(first.total).toBe(120);
		// Delete something already served and something not yet served: nothing is skipped or repeated.
		await t.ok(`/v7/depts/${first.items[1].id}/delete`); // items[0] has members
		const second = await t.get(`/v7/depts/${t.rootId}/children?page_size=50&page_token=${first.next_page_token}`);
		await t.ok(`/v7/depts/${second.items[49].id}/delete`);
		const third = await t.get(`/v7/depts/${t.rootId}/children?page_size=50&page_token=${second.next_page_token}`);
		const seen = [...first.items, ...second.items, ...third.items].map((d: any) => d.id);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen).toHaveLength(120);
		expect(third.next_page_token).toBe('');
	});

	it('pages memberships directly or recursively, each once (every user here has one department)', async () => {
		const direct = await walk(`/v7/depts/${deptIds[1]}/members?status=active`, 50);
		expect(direct.ids).toHaveLength(65);
		const all = await walk(`/v7/depts/${t.rootId}/members?status=active&recursive=true`, 50);
		expect(all.ids).toHaveLength(130);
		expect(new Set(all.ids).size).toBe(130);
		const listed = await walk('/v7/users?status=active', 50);
		expect(listed.ids.sort()).toEqual([...all.ids].sort());
	});
});
