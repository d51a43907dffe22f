import { type TenantFixture, err, startTenant } from './rawHttp';

describe('WPS emulator: department tree rules', () => {
	let t: TenantFixture;
	beforeEach(async () => {
		t = await startTenant({ maxDepth: 4 });
	});
	afterEach(() => t.emu.close());

	const create = (body: Record<string, unknown>) => t.api('POST', '/v7/depts/create', body);

	it('creates a department with its id, abs_path and ctime; ex_dept_id defaults to its own id', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'Sales', parent_id: t.rootId, order: 3 });
		expect(a).toMatchObject({ name: 'Sales', parent_id: t.rootId, order: 3, abs_path: '/Root/Sales' });
		expect(a.ex_dept_id).toBe(a.dept_id);
		expect(typeof a.ctime).toBe('number');
		const b = await t.ok('/v7/depts/create', { name: 'EU', parent_id: a.dept_id, ex_dept_id: 'hr-eu' });
		expect(b).toMatchObject({ ex_dept_id: 'hr-eu', abs_path: '/Root/Sales/EU' });
		const found = await t.ok('/v7/depts/by_ex_dept_ids', { ex_dept_ids: ['hr-eu', a.dept_id, 'nope'] });
		expect(found.items.map((d: any) => d.dept_id)).toEqual([b.dept_id, a.dept_id]);
	});

	it('moves and renames in one call without disturbing a sibling that holds the new name under the old parent', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		const x = await t.ok('/v7/depts/create', { name: 'X', parent_id: a.dept_id });
		const y = await t.ok('/v7/depts/create', { name: 'Y', parent_id: a.dept_id });
		await t.ok(`/v7/depts/${x.dept_id}/update`, { parent_id: t.rootId, name: 'Y' });
		const children = await t.api('GET', `/v7/depts/${a.dept_id}/children?page_size=50`);
		expect(children.json.data.items.map((d: any) => d.dept_id)).toEqual([y.dept_id]);
		expect(err(await create({ name: 'Y', parent_id: a.dept_id })).msg).toBe('dept_name_exists');
		expect((await create({ name: 'X', parent_id: a.dept_id })).json.code).toBe(0);
	});

	it('needs an existing parent and a name of at most 128 characters', async () => {
		expect(err(await create({ name: 'X', parent_id: '999' }))).toEqual({ status: 404, code: 400000004, msg: 'parent_dept_not_found' });
		expect(err(await create({ parent_id: t.rootId })).msg).toBe('invalid_param');
		expect(err(await create({ name: 'n'.repeat(129), parent_id: t.rootId }))).toEqual({
			status: 400,
			code: 400000003,
			msg: 'dept_name_too_long',
		});
		expect((await create({ name: 'n'.repeat(128), parent_id: t.rootId })).json.code).toBe(0);
		expect(err(await create({ name: 'Y', parent_id: t.rootId, ex_dept_id: 'e'.repeat(129) })).msg).toBe('id_too_long');
	});

	it('keeps names unique among siblings on create, rename and move', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		const b = await t.ok('/v7/depts/create', { name: 'B', parent_id: t.rootId });
		const aChild = await t.ok('/v7/depts/create', { name: 'B', parent_id: a.dept_id });
		const dup = await create({ name: 'A', parent_id: t.rootId });
		expect(err(dup)).toEqual({ status: 400, code: 400000003, msg: 'dept_name_exists' });
		expect(dup.json.data).toEqual({ dept_id: a.dept_id });
		expect(err(await t.api('POST', `/v7/depts/${b.dept_id}/update`, { name: 'A' })).msg).toBe('dept_name_exists');
		expect(err(await t.api('POST', `/v7/depts/${aChild.dept_id}/update`, { parent_id: t.rootId })).msg).toBe('dept_name_exists');
		// Rename and move in one call is judged by the final place and name.
		const moved = await t.ok(`/v7/depts/${aChild.dept_id}/update`, { parent_id: t.rootId, name: 'C' });
		expect(moved.abs_path).toBe('/Root/C');
		// Same name in another parent is fine; renaming to its own name is a no-op.
		expect((await create({ name: 'B', parent_id: a.dept_id })).json.code).toBe(0);
		expect((await t.api('POST', `/v7/depts/${b.dept_id}/update`, { name: 'B' })).json.code).toBe(0);
	});

	it('enforces the maximum depth on create and on moving a subtree', async () => {
		let parent = t.rootId;
		const chain: string[] = [];
		for (let level = 1; level <= 4; level++) {
			parent = (await t.ok('/v7/depts/create', { name: `L${level}`, parent_id: parent })).dept_id;
			chain.push(parent);
		}
		expect(err(await create({ name: 'L5', parent_id: parent }))).toEqual({
			status: 400,
			code: 400000001,
			msg: 'dept_max_depth_limit',
		});
		// A two-level subtree under level 3 would reach level 5.
		const top = await t.ok('/v7/depts/create', { name: 'Top', parent_id: t.rootId });
		await t.ok('/v7/depts/create', { name: 'Below', parent_id: top.dept_id });
		expect(err(await t.api('POST', `/v7/depts/${top.dept_id}/update`, { parent_id: chain[2] })).msg).toBe('dept_max_depth_limit');
		expect((await t.api('POST', `/v7/depts/${top.dept_id}/update`, { parent_id: chain[1] })).json.code).toBe(0);
	});

	it('refuses to move a department under itself or its descendant, and the root at all', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		const b = await t.ok('/v7/depts/create', { name: 'B', parent_id: a.dept_id });
		const c = await t.ok('/v7/depts/create', { name: 'C', parent_id: b.dept_id });
		for (const target of [a.dept_id, c.dept_id]) {
			expect(err(await t.api('POST', `/v7/depts/${a.dept_id}/update`, { parent_id: target }))).toEqual({
				status: 400,
				code: 400000003,
				msg: 'dept_parent_is_descendant',
			});
		}
		expect(err(await t.api('POST', `/v7/depts/${t.rootId}/update`, { parent_id: a.dept_id })).msg).toBe('root_dept_cannot_be_moved');
		expect(err(await t.api('POST', `/v7/depts/${a.dept_id}/update`, { parent_id: 'nope' })).msg).toBe('parent_dept_not_found');
		// Moving C up two levels works, and reorder is a plain update.
		const moved = await t.ok(`/v7/depts/${c.dept_id}/update`, { parent_id: t.rootId, order: 7 });
		expect(moved).toMatchObject({ parent_id: t.rootId, order: 7, abs_path: '/Root/C' });
		const dump = await t.emu.admin.dump();
		expect(dump.depts.find((d) => d.dept_id === c.dept_id)?.parent_id).toBe(t.rootId);
	});

	it('keeps external ids unique, counting a department whose ex id defaulted to its own id', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId, ex_dept_id: 'x1' });
		const b = await t.ok('/v7/depts/create', { name: 'B', parent_id: t.rootId });
		const taken = { status: 400, code: 400000003, msg: 'dept_union_id_already_exist' };
		expect(err(await create({ name: 'C', parent_id: t.rootId, ex_dept_id: 'x1' }))).toEqual(taken);
		expect(err(await create({ name: 'C', parent_id: t.rootId, ex_dept_id: b.dept_id }))).toEqual(taken);
		expect(err(await t.api('POST', `/v7/depts/${b.dept_id}/update`, { ex_dept_id: 'x1' }))).toEqual(taken);
		// Relinking frees the old id.
		await t.ok(`/v7/depts/${a.dept_id}/update`, { ex_dept_id: 'x2' });
		expect((await create({ name: 'C', parent_id: t.rootId, ex_dept_id: 'x1' })).json.code).toBe(0);
	});

	it('never deletes the root, and refuses a department with children or members of any status', async () => {
		expect(err(await t.api('POST', `/v7/depts/${t.rootId}/delete`))).toEqual({
			status: 400,
			code: 400000003,
			msg: 'root_dept_cannot_be_deleted',
		});
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		const b = await t.ok('/v7/depts/create', { name: 'B', parent_id: a.dept_id });
		const notEmpty = await t.api('POST', `/v7/depts/${a.dept_id}/delete`);
		expect(err(notEmpty).msg).toBe('dept_is_not_empty');
		expect(notEmpty.json.data).toEqual({ child_dept_count: 1, member_count: 0 });
		const { users } = await t.emu.admin.seedUsers([{ user_name: 'Gone', dept_ids: [b.dept_id], status: 'disabled' }]);
		const withHidden = await t.api('POST', `/v7/depts/${b.dept_id}/delete`);
		expect(withHidden.json.data).toEqual({ child_dept_count: 0, member_count: 1 });
		await t.ok(`/v7/users/${users[0].user_id}/delete`);
		await t.ok(`/v7/depts/${b.dept_id}/delete`);
		await t.ok(`/v7/depts/${a.dept_id}/delete`);
		expect((await t.emu.admin.dump()).depts.map((d) => d.dept_id)).toEqual([t.rootId]);
		expect(err(await t.api('POST', `/v7/depts/${a.dept_id}/delete`))).toEqual({ status: 404, code: 400000004, msg: 'dept_not_found' });
	});

	it('batch-deletes at most 50 ids, each judged on its own, in the order given', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		const b = await t.ok('/v7/depts/create', { name: 'B', parent_id: a.dept_id });
		const res = await t.ok('/v7/depts/batch_delete', { dept_ids: [a.dept_id, b.dept_id, 'nope'] });
		expect(res.items.map((i: any) => [i.dept_id, i.msg || 'deleted'])).toEqual([
			[a.dept_id, 'dept_is_not_empty'],
			[b.dept_id, 'deleted'],
			['nope', 'dept_not_found'],
		]);
		const ids = Array.from({ length: 51 }, (_, i) => `id${i}`);
		expect(err(await t.api('POST', '/v7/depts/batch_delete', { dept_ids: ids }))).toEqual({
			status: 400,
			code: 400000003,
			msg: 'batch_size_exceeded',
		});
		expect((await t.api('POST', '/v7/depts/batch_delete', { dept_ids: ids.slice(0, 50) })).json.code).toBe(0);
	});

	it('reads up to 100 departments by id or external id, omitting unknown ones', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId, ex_dept_id: 'ea' });
		const read = await t.ok('/v7/depts/batch_read', { dept_ids: [a.dept_id, 'nope', t.rootId] });
		expect(read.items.map((d: any) => d.name)).toEqual(['A', 'Root']);
		const many = Array.from({ length: 101 }, (_, i) => `e${i}`);
		expect(err(await t.api('POST', '/v7/depts/by_ex_dept_ids', { ex_dept_ids: many })).msg).toBe('batch_size_exceeded');
		expect(err(await t.api('POST', '/v7/depts/batch_read', { dept_ids: many })).msg).toBe('batch_size_exceeded');
		expect((await t.api('POST', '/v7/depts/batch_read', { dept_ids: many.slice(0, 100) })).json.code).toBe(0);
		expect(await t.get(`/v7/depts/${a.dept_id}`)).toMatchObject({ ex_dept_id: 'ea' });
	});
});
