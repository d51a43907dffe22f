import { type TenantFixture, err, startTenant, wpsErrorBodyProblem } from './rawHttp';

/** Keys of a department in every read (root, children, batch_read, by_ex_dept_ids). */
const READ_KEYS = ['abs_path', 'ctime', 'ex_dept_id', 'id', 'leaders', 'name', 'order', 'parent_id'];
const keysOf = (o: object) => Object.keys(o).sort();

describe('WPS emulator: department tree rules', () => {
	let t: TenantFixture;
	beforeEach(async () => {
		t = await startTenant({ maxDepth: 4 });
	});
	afterEach(() => t.emu.close());

	const create = (body: Record<string, unknown>) => t.api('POST', '/v7/depts/create', body);
	/** One department by id: there is no GET /v7/depts/{id}, batch_read is the documented way. */
	const readDept = async (id: string) => (await t.ok('/v7/depts/batch_read', { dept_ids: [id] })).items[0];

	it('creates a department answering dept_id, abs_path and ctime; ex_dept_id defaults to its own id', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'Sales', parent_id: t.rootId, order: 3 });
		// Create is the one call that says `dept_id`; it has no `id`.
		expect(keysOf(a)).toEqual(READ_KEYS.map((k) => (k === 'id' ? 'dept_id' : k)).sort());
		expect(a).toMatchObject({ name: 'Sales', parent_id: t.rootId, order: 3, abs_path: '/Root/Sales' });
		expect(a.ex_dept_id).toBe(a.dept_id);
		expect(typeof a.ctime).toBe('number');
		const b = await t.ok('/v7/depts/create', { name: 'EU', parent_id: a.dept_id, ex_dept_id: 'hr-eu' });
		expect(b).toMatchObject({ ex_dept_id: 'hr-eu', abs_path: '/Root/Sales/EU' });
		const found = await t.ok('/v7/depts/by_ex_dept_ids', { ex_dept_ids: ['hr-eu', a.dept_id, 'nope'] });
		expect(found.items.map((d: any) => d.id)).toEqual([b.dept_id, a.dept_id]);
	});

	it('reads departments keyed id with exactly the documented keys; the root parent is "0"', async () => {
		const root = await t.get('/v7/depts/root');
		expect(keysOf(root)).toEqual(READ_KEYS);
		expect(root).toMatchObject({ id: t.rootId, name: 'Root', parent_id: '0', abs_path: '/Root', leaders: [] });
		const { users } = await t.emu.admin.seedUsers([
			{ user_name: 'L1', dept_ids: [t.rootId] },
			{ user_name: 'L2', dept_ids: [t.rootId] },
		]);
		const [l1, l2] = users.map((u) => u.user_id);
		// Leaders go in as [{user_id, order}] and come back in that order.
		const a = await t.ok('/v7/depts/create', {
			name: 'A',
			parent_id: t.rootId,
			ex_dept_id: 'ea',
			leaders: [
				{ user_id: l2, order: 2 },
				{ user_id: l1, order: 1 },
			],
		});
		const reads = [
			(await t.get(`/v7/depts/${t.rootId}/children`)).items[0],
			await readDept(a.dept_id),
			(await t.ok('/v7/depts/by_ex_dept_ids', { ex_dept_ids: ['ea'] })).items[0],
		];
		for (const d of reads) {
			expect(keysOf(d)).toEqual(READ_KEYS);
			expect(d).toMatchObject({ id: a.dept_id, parent_id: t.rootId, name: 'A', ex_dept_id: 'ea' });
			expect(d.leaders.map((l: any) => l.user_id)).toEqual([l1, l2]);
			for (const l of d.leaders) expect(keysOf(l)).toEqual(['order', 'user_id']);
		}
		// A bare list of ids is not the documented leader form.
		expect(err(await create({ name: 'B', parent_id: t.rootId, leaders: [l1] }))).toEqual({
			status: 400,
			code: 400000002,
			reason: 'invalid_param',
		});
		await t.ok(`/v7/depts/${a.dept_id}/update`, { leaders: [{ user_id: l2, order: 0 }] });
		expect((await readDept(a.dept_id)).leaders.map((l: any) => l.user_id)).toEqual([l2]);
		expect(err(await t.api('POST', `/v7/depts/${a.dept_id}/update`, { leaders: [l1] })).reason).toBe('invalid_param');
	});

	it('moves and renames in one call without disturbing a sibling that holds the new name under the old parent', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		const x = await t.ok('/v7/depts/create', { name: 'X', parent_id: a.dept_id });
		const y = await t.ok('/v7/depts/create', { name: 'Y', parent_id: a.dept_id });
		// An update answers {code, msg} and nothing else.
		const moved = await t.api('POST', `/v7/depts/${x.dept_id}/update`, { parent_id: t.rootId, name: 'Y' });
		expect(moved.json).toEqual({ code: 0, msg: 'success' });
		expect(await readDept(x.dept_id)).toMatchObject({ parent_id: t.rootId, name: 'Y', abs_path: '/Root/Y' });
		const children = await t.api('GET', `/v7/depts/${a.dept_id}/children?page_size=50`);
		expect(children.json.data.items.map((d: any) => d.id)).toEqual([y.dept_id]);
		expect(err(await create({ name: 'Y', parent_id: a.dept_id })).reason).toBe('dept_name_exists');
		expect((await create({ name: 'X', parent_id: a.dept_id })).json.code).toBe(0);
	});

	it('needs an existing parent and a name of at most 128 characters', async () => {
		expect(err(await create({ name: 'X', parent_id: '999' }))).toEqual({
			status: 404,
			code: 400000004,
			reason: 'parent_dept_not_found',
		});
		expect(err(await create({ parent_id: t.rootId })).reason).toBe('invalid_param');
		expect(err(await create({ name: 'n'.repeat(129), parent_id: t.rootId }))).toEqual({
			status: 400,
			code: 400000003,
			reason: 'dept_name_too_long',
		});
		expect((await create({ name: 'n'.repeat(128), parent_id: t.rootId })).json.code).toBe(0);
		expect(err(await create({ name: 'Y', parent_id: t.rootId, ex_dept_id: 'e'.repeat(129) })).reason).toBe(
			'id_too_long',
		);
	});

	it('keeps names unique among siblings on create, rename and move', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		const b = await t.ok('/v7/depts/create', { name: 'B', parent_id: t.rootId });
		const aChild = await t.ok('/v7/depts/create', { name: 'B', parent_id: a.dept_id });
		const dup = await create({ name: 'A', parent_id: t.rootId });
		expect(err(dup)).toEqual({ status: 400, code: 400000003, reason: 'dept_name_exists' });
		// The refusal names no holder (no `data`): a client finds it by listing the parent's children.
		expect(wpsErrorBodyProblem(dup)).toBe('');
		const holder = (await t.get(`/v7/depts/${t.rootId}/children?page_size=50`)).items.find((d: any) => d.name === 'A');
		expect(holder.id).toBe(a.dept_id);
		expect(err(await t.api('POST', `/v7/depts/${b.dept_id}/update`, { name: 'A' })).reason).toBe('dept_name_exists');
		expect(err(await t.api('POST', `/v7/depts/${aChild.dept_id}/update`, { parent_id: t.rootId })).reason).toBe(
			'dept_name_exists',
		);
		// Rename and move in one call is judged by the final place and name.
		await t.ok(`/v7/depts/${aChild.dept_id}/update`, { parent_id: t.rootId, name: 'C' });
		expect((await readDept(aChild.dept_id)).abs_path).toBe('/Root/C');
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
			reason: 'dept_max_depth_limit',
		});
		// A two-level subtree under level 3 would reach level 5.
		const top = await t.ok('/v7/depts/create', { name: 'Top', parent_id: t.rootId });
		await t.ok('/v7/depts/create', { name: 'Below', parent_id: top.dept_id });
		expect(err(await t.api('POST', `/v7/depts/${top.dept_id}/update`, { parent_id: chain[2] })).reason).toBe(
			'dept_max_depth_limit',
		);
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
				reason: 'dept_parent_is_descendant',
			});
		}
		expect(err(await t.api('POST', `/v7/depts/${t.rootId}/update`, { parent_id: a.dept_id })).reason).toBe(
			'root_dept_cannot_be_moved',
		);
		expect(err(await t.api('POST', `/v7/depts/${a.dept_id}/update`, { parent_id: 'nope' })).reason).toBe(
			'parent_dept_not_found',
		);
		// Moving C up two levels works, and reorder is a plain update.
		await t.ok(`/v7/depts/${c.dept_id}/update`, { parent_id: t.rootId, order: 7 });
		expect(await readDept(c.dept_id)).toMatchObject({ parent_id: t.rootId, order: 7, abs_path: '/Root/C' });
		const dump = await t.emu.admin.dump();
		expect(dump.depts.find((d) => d.dept_id === c.dept_id)?.parent_id).toBe(t.rootId);
	});

	it('keeps external ids unique, counting a department whose ex id defaulted to its own id', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId, ex_dept_id: 'x1' });
		const b = await t.ok('/v7/depts/create', { name: 'B', parent_id: t.rootId });
		const taken = { status: 400, code: 400000003, reason: 'dept_union_id_already_exist' };
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
			reason: 'root_dept_cannot_be_deleted',
		});
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		const b = await t.ok('/v7/depts/create', { name: 'B', parent_id: a.dept_id });
		const notEmpty = await t.api('POST', `/v7/depts/${a.dept_id}/delete`);
		expect(err(notEmpty)).toEqual({ status: 400, code: 400000003, reason: 'dept_is_not_empty' });
		expect(wpsErrorBodyProblem(notEmpty)).toBe('');
		// A member that an active-only listing would not show still keeps the department.
		const { users } = await t.emu.admin.seedUsers([{ user_name: 'Gone', dept_ids: [b.dept_id], status: 'disabled' }]);
		expect((await t.get(`/v7/depts/${b.dept_id}/members?status=active`)).items).toEqual([]);
		expect(err(await t.api('POST', `/v7/depts/${b.dept_id}/delete`)).reason).toBe('dept_is_not_empty');
		await t.ok(`/v7/users/${users[0].user_id}/delete`);
		expect((await t.api('POST', `/v7/depts/${b.dept_id}/delete`)).json).toEqual({ code: 0, msg: 'success' });
		await t.ok(`/v7/depts/${a.dept_id}/delete`);
		expect((await t.emu.admin.dump()).depts.map((d) => d.dept_id)).toEqual([t.rootId]);
		expect(err(await t.api('POST', `/v7/depts/${a.dept_id}/delete`))).toEqual({
			status: 404,
			code: 400000004,
			reason: 'dept_not_found',
		});
	});

	it('has no batch_delete on the SaaS: the call is an unknown route and deletes nothing', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId });
		expect(err(await t.api('POST', '/v7/depts/batch_delete', { dept_ids: [a.dept_id] }))).toEqual({
			status: 404,
			code: 400000004,
			reason: 'route_not_found',
		});
		expect((await t.emu.admin.dump()).depts.map((d) => d.name)).toEqual(['Root', 'A']);
	});

	it('private deployments batch-delete at most 50 ids answering data null; a refusal stops the call', async () => {
		const p = await startTenant({ privateBatchDelete: true });
		try {
			const a = await p.ok('/v7/depts/create', { name: 'A', parent_id: p.rootId });
			const b = await p.ok('/v7/depts/create', { name: 'B', parent_id: a.dept_id });
			// Parent before child: the parent is refused and the child after it is left alone.
			const refused = await p.api('POST', '/v7/depts/batch_delete', { dept_ids: [a.dept_id, b.dept_id] });
			expect(err(refused)).toEqual({ status: 400, code: 400000003, reason: 'dept_is_not_empty' });
			expect(wpsErrorBodyProblem(refused)).toBe('');
			expect((await p.emu.admin.dump()).depts.map((d) => d.name)).toEqual(['Root', 'A', 'B']);
			// Child first: both go, and the answer carries data null, no per-id results.
			const res = await p.api('POST', '/v7/depts/batch_delete', { dept_ids: [b.dept_id, a.dept_id] });
			expect(res.json).toEqual({ code: 0, msg: 'success', data: null });
			expect((await p.emu.admin.dump()).depts.map((d) => d.name)).toEqual(['Root']);
			expect(err(await p.api('POST', '/v7/depts/batch_delete', { dept_ids: ['nope'] })).reason).toBe('dept_not_found');
			expect(err(await p.api('POST', '/v7/depts/batch_delete', { dept_ids: [p.rootId] })).reason).toBe(
				'root_dept_cannot_be_deleted',
			);
			const many = await Promise.all(
				Array.from(
					{ length: 51 },
					async (_, i) => (await p.ok('/v7/depts/create', { name: `D${i}`, parent_id: p.rootId })).dept_id,
				),
			);
			expect(err(await p.api('POST', '/v7/depts/batch_delete', { dept_ids: many }))).toEqual({
				status: 400,
				code: 400000003,
				reason: 'batch_size_exceeded',
			});
			expect((await p.emu.admin.dump()).depts).toHaveLength(52);
			expect((await p.api('POST', '/v7/depts/batch_delete', { dept_ids: many.slice(0, 50) })).json.data).toBeNull();
			expect((await p.emu.admin.dump()).depts.map((d) => d.name)).toEqual(['Root', 'D50']);
		} finally {
			await p.emu.close();
		}
	});

	it('reads up to 100 departments by id or external id, omitting unknown ones', async () => {
		const a = await t.ok('/v7/depts/create', { name: 'A', parent_id: t.rootId, ex_dept_id: 'ea' });
		const read = await t.ok('/v7/depts/batch_read', { dept_ids: [a.dept_id, 'nope', t.rootId] });
		expect(read.items.map((d: any) => d.name)).toEqual(['A', 'Root']);
		const many = Array.from({ length: 101 }, (_, i) => `e${i}`);
		expect(err(await t.api('POST', '/v7/depts/by_ex_dept_ids', { ex_dept_ids: many })).reason).toBe(
			'batch_size_exceeded',
		);
		expect(err(await t.api('POST', '/v7/depts/batch_read', { dept_ids: many })).reason).toBe('batch_size_exceeded');
		expect((await t.api('POST', '/v7/depts/batch_read', { dept_ids: many.slice(0, 100) })).json.code).toBe(0);
		expect(await readDept(a.dept_id)).toMatchObject({ id: a.dept_id, ex_dept_id: 'ea' });
		// No page documents a GET of one department.
		expect(err(await t.api('GET', `/v7/depts/${a.dept_id}`))).toEqual({
			status: 404,
			code: 400000004,
			reason: 'route_not_found',
		});
	});
});
