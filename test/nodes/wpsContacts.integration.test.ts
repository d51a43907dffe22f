import type { IDataObject } from 'n8n-workflow';
import { stableShape } from './wpsContacts/dumpShape';
import { type Row, applyWorkflow, rows, startNodeEnv, syncWorkflow, useNodeKit } from './wpsContacts/setup';

const DAY = 86_400_000;

describe('WPS Contacts node', () => {
	const kit = useNodeKit('wps');
	const { dump, run, sync, apply } = kit;

	type Dept = [string, string, string];
	type User = [string, string, string, Row?];
	/** The org every test starts from, as rows that a test extends or edits. */
	const baseDepts: Dept[] = [
		['10', '0', 'Sales'],
		['11', '10', 'North'],
		['12', '10', 'South'],
		['20', '0', 'R&D'],
	];
	const baseUsers: User[] = [
		['e1', 'Ann', '11', { email: 'ann@example.com', title: 'Rep' }],
		['e2', 'Bob', '12,20', { email: 'bob@example.com', title: 'Lead' }],
		['e3', 'Cem', '20', { email: 'cem@example.com', title: 'Dev' }],
	];
	const base = rows(baseDepts, baseUsers);

	test('preview writes nothing; sync creates; a second sync plans nothing', async () => {
		const preview = await run({ operation: 'preview' }, base);
		expect(preview.error).toBeUndefined();
		const summary = preview.json('WPS', 0)[0];
		expect(summary.counts).toEqual({ 'dept.create': 4, 'user.create': 3 });
		expect(summary.withinLimits).toBe(true);
		expect(
			preview
				.json('WPS', 1)
				.filter((i) => i.kind === 'dept.create')
				.map((i) => i.exId),
		).toEqual(['10', '20', '11', '12']);
		expect((await dump()).depts).toHaveLength(1);

		const first = await sync(base);
		expect(first.json('WPS', 0)[0].status).toBe('done');
		expect(first.json('WPS', 1).every((a) => a.status === 'done' && a.code === 'ok')).toBe(true);
		const again = await sync(base, {}, { mode: 'incremental' });
		expect(again.json('WPS', 0)[0].planned).toEqual({});
		expect(again.json('WPS', 0)[0].previewCalls).toBe(0);
	});

	test('every operation type, in dependency order', async () => {
		await sync(
			rows([...baseDepts, ['30', '0', 'Temp']], [...baseUsers, ['e4', 'Dai', '30']]),
			{},
			{ deptOrderColumn: 'order' },
		);
		// rename 11, move 12 under 20, reorder 20, delete 30 (its member e4 leaves), update e1, move e2, create 40 + e5
		const next = {
			Departments: [
				{ id: '10', parent_id: '0', name: 'Sales', order: 0 },
				{ id: '11', parent_id: '10', name: 'North-East', order: 0 },
				{ id: '12', parent_id: '20', name: 'South', order: 0 },
				{ id: '20', parent_id: '0', name: 'R&D', order: 5 },
				{ id: '40', parent_id: '20', name: 'Lab', order: 0 },
			],
			Users: [
				{ id: 'e1', name: 'Ann', dept_ids: '11', email: 'ann@example.com', title: 'Senior Rep' },
				{ id: 'e2', name: 'Bob', dept_ids: '40', email: 'bob@example.com', title: 'Lead' },
				{ id: 'e3', name: 'Cem', dept_ids: '20', email: 'cem@example.com', title: 'Dev' },
				{ id: 'e5', name: 'Eve', dept_ids: '40', email: 'eve@example.com', title: '' },
			],
		};
		const r = await sync(next, {}, { deptOrderColumn: 'order' });
		const audit = r.json('WPS', 1);
		const kinds = audit.map((a) => a.kind);
		// Every kind of change but enable and hard delete happens in this one run (the list is the test's own).
		const expected = 'dept: create rename move reorder delete; user: create update move disable';
		for (const [object, verbs] of expected.split('; ').map((part) => part.split(': '))) {
			for (const verb of verbs.split(' ')) expect(kinds).toContain(`${object}.${verb}`);
		}
		expect(audit.every((a) => a.status === 'done')).toBe(true);
		const pos = (id: string) => audit.findIndex((a) => a.id === id);
		expect(pos('dept.create:40')).toBeLessThan(pos('user.move:e2'));
		expect(pos('user.move:e4')).toBeLessThan(pos('dept.delete:30'));
		const after = await dump();
		const ex = new Map(after.depts.map((d) => [d.dept_id, d]));
		const dept = (x: string) => after.depts.find((d) => d.ex_dept_id === x);
		expect(dept('11')?.name).toBe('North-East');
		expect(ex.get(dept('12')!.parent_id)?.ex_dept_id).toBe('20');
		expect(dept('20')?.order).toBe(5);
		expect(dept('30')).toBeUndefined();
		const e4 = after.users.find((u) => u.ex_user_id === 'e4')!;
		expect(e4.status).toBe('disabled');
		expect(e4.dept_ids).toEqual([kit.env.rootId]);

		// re-hire: the same account comes back enabled; then enable is the only status change
		const rehire = await sync(
			{ ...next, Users: [...next.Users, { id: 'e4', name: 'Dai', dept_ids: '40', email: '', title: '' }] },
			{},
			{ deptOrderColumn: 'order' },
		);
		expect(
			rehire
				.json('WPS', 1)
				.map((a) => a.kind)
				.sort(),
		).toEqual(['user.enable', 'user.move']);
		const back = (await dump()).users.find((u) => u.ex_user_id === 'e4')!;
		expect(back.user_id).toBe(e4.user_id);
		expect(back.status).toBe('active');
		expect((await dump()).users.filter((u) => u.ex_user_id === 'e4')).toHaveLength(1);
	});

	test('leavers are disabled, and hard-deleted only after the grace period since the sync disabled them', async () => {
		await sync(base);
		const leaverGone = { ...base, Users: base.Users.filter((u) => u.id !== 'e3') };
		const first = await sync(leaverGone);
		expect(first.json('WPS', 1).map((a) => a.kind)).toEqual(['user.disable']);
		const again = await sync(leaverGone);
		expect(again.json('WPS', 1)).toEqual([]); // within the grace period: nothing
		// backdate the disable in the state table instead of waiting 30 days
		await kit.db.admin.query(`UPDATE wps_sync_object SET disabled_at = ? WHERE kind = 'user' AND ex_id = 'e3'`, [
			Date.now() - 31 * DAY,
		]);
		const later = await sync(leaverGone);
		expect(later.json('WPS', 1).map((a) => [a.kind, a.status])).toEqual([['user.delete', 'done']]);
		expect((await dump()).users.find((u) => u.ex_user_id === 'e3')).toBeUndefined();
	});

	test('hand-made departments and users are never changed or deleted', async () => {
		await sync(base);
		const d = await dump();
		const sales = d.depts.find((x) => x.ex_dept_id === '10')!;
		const [{ dept_id: handDept }] = (
			await kit.emu.admin.seedDepts([{ name: 'Hand made', parent_id: sales.dept_id }], { clientId: kit.env.clientId })
		).depts;
		await kit.emu.admin.seedUsers([{ user_name: 'Hana', dept_ids: [handDept], email: 'hana@example.com' }], {
			clientId: kit.env.clientId,
		});
		await kit.emu.admin.seedUsers([{ user_name: 'Root person', email: 'rp@example.com' }], {
			clientId: kit.env.clientId,
		});
		const before = stableShape(await dump());
		// the source drops Sales entirely: its sub-departments go, but Sales still holds hand-made things
		const next = rows(
			[['20', '0', 'R&D']],
			[
				['e3', 'Cem', '20', { email: 'cem@example.com', title: 'Dev' }],
				['e2', 'Bob', '20', { email: 'bob@example.com', title: 'Lead' }],
			],
		);
		const r = await run({ operation: 'preview', mode: 'incremental' }, next, { maxDeletions: 100 });
		expect(r.json('WPS', 0)[0].modeReason).toMatch(/deletes departments/);
		const items = r.json('WPS', 1);
		const blocked = items.filter((i) => i.kind === 'blocked');
		expect(blocked.map((b) => b.exId)).toEqual(['10']);
		expect(String(blocked[0].reason)).toContain('Hand made');
		await sync(next, { maxDeletions: 100 });
		const after = stableShape(await dump());
		const handMade = (s: typeof before) => [
			...s.depts.filter((x) => x.includes('Hand made')),
			...s.users.filter((x) => x.includes('Hana') || x.includes('Root person')),
		];
		expect(handMade(after)).toEqual(handMade(before));
		expect(after.depts.some((x) => x.startsWith('10:Sales<'))).toBe(true);
	});

	test('safety: source errors, empty and truncated sources, thresholds stop the run before any write', async () => {
		await sync(base);
		const before = stableShape(await dump());
		const refusals: [string, ReturnType<typeof rows>, IDataObject, RegExp][] = [
			[
				'cycle',
				rows(
					[
						['a', 'b', 'A'],
						['b', 'a', 'B'],
					],
					[['e1', 'Ann', 'a']],
				),
				{},
				/cycle: .*a, b/,
			],
			['orphan', rows([['a', 'zz', 'A']], [['e1', 'Ann', 'a']]), {}, /orphan: .*a/],
			[
				'duplicate ids',
				rows(
					[
						['a', '', 'A'],
						['a', '', 'B'],
					],
					[
						['e1', 'Ann', 'a'],
						['e1', 'Bob', 'a'],
					],
				),
				{},
				/duplicateDeptId[\s\S]*duplicateUserId/,
			],
			['unknown department', rows([['a', '', 'A']], [['e1', 'Ann', 'zz']]), {}, /userInUnknownDept: .*e1/],
			[
				"an HR id equal to the WPS scope department's own id",
				rows([['1', '', 'A']], [['e1', 'Ann', '1']]),
				{},
				/External ID Prefix/,
			],
			// (with no rows on both inputs n8n does not run the node at all)
			['no users', rows([['a', '', 'A']], []), {}, /emptySource/],
			[
				'threshold count',
				rows(baseDepts, [['e1', 'Ann', '11']]),
				{ maxDeletions: 1 },
				/Threshold exceeded.*2 deletions\/disables exceed the limit of 1/,
			],
			[
				'threshold percent (a capped query)',
				rows(baseDepts, [['e1', 'Ann', '11']]),
				{ maxDeletionPercent: 20 },
				/of the 7 managed objects \(limit 20%\)/,
			],
		];
		for (const [name, data, options, message] of refusals) {
			const r = await run({ operation: 'sync' }, data, options);
			expect({
				name,
				error: r.error ? `${r.error.message}\n${(r.error as { description?: string }).description ?? ''}` : 'none',
			}).toEqual({ name, error: expect.stringMatching(message) });
		}
		const nearlyEmpty = await run({ operation: 'preview' }, rows([['10', '', 'Sales']], [['e1', 'Ann', '10']]), {});
		expect(nearlyEmpty.json('WPS', 0)[0]).toMatchObject({ withinLimits: true });
		expect(stableShape(await dump())).toEqual(before);
	});

	test('a truncated source is refused unless allowed', async () => {
		const many = rows(
			Array.from({ length: 12 }, (_, i) => [`d${i}`, '', `Dept ${i}`] as [string, string, string]),
			Array.from({ length: 12 }, (_, i) => [`u${i}`, `User ${i}`, `d${i}`] as [string, string, string]),
		);
		await sync(many);
		const r = await run({ operation: 'sync' }, rows([['d0', '', 'Dept 0']], [['u0', 'User 0', 'd0']]), {
			maxDeletions: 1000,
		});
		expect(r.error?.message).toMatch(/source has 1 error/);
		expect((r.error as { description?: string }).description).toMatch(/nearlyEmptySource/);
	});

	test('fields the app cannot read (the credential does not list them) are never compared or written', async () => {
		// WPS blanks email without its scope and refuses nothing: only the credential can say it is unreadable.
		await kit.emu.admin.setApp({ clientId: kit.env.clientId, scopes: ['kso.contact.read', 'kso.contact.readwrite'] });
		const cred = kit.env.credentials.wps365Api;
		const readable = cred.readableFields;
		cred.readableFields = ['phone'];
		try {
			const [{ user_id }] = (
				await kit.emu.admin.seedUsers([{ user_name: 'Ann', ex_user_id: 'e1', email: 'kept@example.com' }], {
					clientId: kit.env.clientId,
				})
			).users;
			const data = rows([['10', '', 'Sales']], [['e1', 'Ann', '10', { email: 'new@example.com', title: 'Rep' }]]);
			const preview = await run({ operation: 'preview' }, data);
			expect(preview.json('WPS', 0)[0].unreadableFields).toEqual(['email', 'gender']);
			const first = await sync(data);
			const update = first.json('WPS', 1).find((a) => a.kind === 'user.update');
			expect(update?.after).toEqual({ fields: { title: 'Rep' } });
			const user = (await dump()).users.find((u) => u.user_id === user_id)!;
			expect(user.email).toBe('kept@example.com');
			const again = await sync(data, {}, { mode: 'full' });
			expect(again.json('WPS', 1)).toEqual([]);
		} finally {
			cred.readableFields = readable;
		}
	});

	test('an edited plan is applied as edited; an inconsistent one is refused before any write', async () => {
		await sync(base);
		const next = rows([...baseDepts, ['50', '20', 'Lab'], ['51', '50', 'Bench']], [...baseUsers, ['e9', 'Ivy', '51']]);
		const preview = await run({ operation: 'preview' }, next);
		const ops = preview.json('WPS', 1);
		expect(ops.map((o) => o.id)).toEqual(['dept.create:50', 'dept.create:51', 'user.create:e9']);
		const before = stableShape(await dump());
		// dropping the parent's create leaves a child under a missing parent: refused, nothing written
		const broken = await apply(ops.slice(1));
		expect(broken.error?.message).toMatch(/inconsistent/);
		expect((broken.error as { description?: string }).description).toMatch(/dept.create:51 depends on dept.create:50/);
		expect(stableShape(await dump())).toEqual(before);
		// an approver renames the new department and drops the user
		const edited = ops
			.slice(0, 2)
			.map((o) =>
				o.id === 'dept.create:51' ? { ...o, after: { ...(o.after as IDataObject), name: 'Workbench' } } : o,
			);
		const applied = await apply(edited);
		expect(applied.error).toBeUndefined();
		expect(applied.json('WPS', 0)[0]).toMatchObject({ status: 'done', edited: true });
		const names = (await dump()).depts.map((d) => d.name);
		expect(names).toContain('Workbench');
		expect((await dump()).users.some((u) => u.ex_user_id === 'e9')).toBe(false);
	});

	test('a plan whose target changed since the preview is refused', async () => {
		await sync(base);
		const next = rows(
			baseDepts.map(([id, parent, name]): Dept => [id, parent, id === '11' ? 'Nord' : name]),
			baseUsers,
		);
		const ops = (await run({ operation: 'preview' }, next)).json('WPS', 1);
		const north = (await dump()).depts.find((d) => d.ex_dept_id === '11')!;
		// someone renames the department in WPS after the preview
		const wpsOps = { clientId: kit.env.clientId };
		await kit.emu.admin.seedDepts([{ name: 'Elsewhere' }], wpsOps);
		const wps = kit.wps();
		await wps.depts.update(north.dept_id, { name: 'Norte' });
		const r = await apply(ops);
		expect(r.error?.message).toMatch(/WPS changed since the plan was made/);
		expect((await dump()).depts.find((d) => d.ex_dept_id === '11')?.name).toBe('Norte');
		// a plan made for another app is refused too
		const other = await startNodeEnv({ emu: kit.emu, db: kit.db });
		const foreign = await applyWorkflow().run({ credentials: other.credentials, pinData: { Plan: ops } });
		expect(foreign.error?.message).toMatch(/another WPS app or scope/);
		await other.close();
	});

	test('the reverse plan restores WPS to its state before the sync', async () => {
		await sync(base);
		await kit.emu.admin.seedUsers([{ user_name: 'Hana', email: 'hana@example.com' }], { clientId: kit.env.clientId });
		const before = stableShape(await dump());
		const next = rows(
			[
				['20', '0', 'R&D'],
				['10', '20', 'Sales'],
				['12', '10', 'North'],
				['60', '0', 'New'],
			],
			[
				['e1', 'Ann', '12', { email: 'ann@example.com', title: 'Boss' }],
				['e5', 'Eve', '60', { email: 'eve@example.com', title: '' }],
				['e3', 'Cem', '20', { email: 'cem@example.com', title: 'Dev' }],
			],
		);
		const r = await sync(next, { maxDeletions: 100 });
		expect(r.json('WPS', 0)[0].status).toBe('done');
		expect(stableShape(await dump())).not.toEqual(before);
		const reverse = r.json('WPS', 2);
		expect(reverse.length).toBeGreaterThan(0);
		const undo = await apply(reverse);
		expect(undo.error).toBeUndefined();
		expect(undo.json('WPS', 1).filter((a) => a.status !== 'done')).toEqual([]);
		expect(stableShape(await dump())).toEqual(before);
	});

	test('conflicts: an edit made in WPS since the last sync is kept (target wins) or reported (manual)', async () => {
		await sync(base);
		const wps = kit.wps();
		const ann = (await dump()).users.find((u) => u.ex_user_id === 'e1')!;
		await wps.users.update(ann.user_id, { title: 'Edited in WPS' });
		// an incremental run reads only what the source changes: edits elsewhere show in a full run
		const manual = await run({ operation: 'preview', mode: 'full' }, base, { conflictStrategy: 'manual' });
		const conflicts = manual.json('WPS', 1).filter((i) => i.kind === 'conflict');
		expect(conflicts.map((c) => [c.exId, c.resolution])).toEqual([['e1', 'manual']]);
		expect(manual.json('WPS', 1).filter((i) => i.kind !== 'conflict')).toEqual([]);
		const targetWins = await sync(base, { conflictStrategy: 'targetWins' }, { mode: 'full' });
		expect(targetWins.json('WPS', 1)).toEqual([]);
		expect((await dump()).users.find((u) => u.ex_user_id === 'e1')!.title).toBe('Edited in WPS');
		const sourceWins = await sync(base, {}, { mode: 'full' });
		expect(sourceWins.json('WPS', 1).map((a) => a.kind)).toEqual(['user.update']);
		expect((await dump()).users.find((u) => u.ex_user_id === 'e1')!.title).toBe('Rep');
	});

	test('incremental runs read only what they touch; a full read every N runs, after a failed run, and on drift', async () => {
		await sync(base);
		const inc = { mode: 'incremental', fullEvery: 4 };
		const edit = (title: string) => ({ ...base, Users: base.Users.map((u) => (u.id === 'e1' ? { ...u, title } : u)) });
		const r1 = await sync(edit('One'), {}, inc);
		expect(r1.json('WPS', 0)[0]).toMatchObject({
			mode: 'incremental',
			modeReason: 'incremental',
			planned: { 'user.update': 1 },
		});
		expect(r1.json('WPS', 0)[0].previewCalls).toBeLessThan(5);
		const r2 = await sync(edit('Two'), {}, inc);
		expect(r2.json('WPS', 0)[0]).toMatchObject({ mode: 'incremental' });
		// two incremental runs since the last full one: with "every 3 runs" the third reads in full
		const every3 = await run({ operation: 'preview', mode: 'incremental', fullEvery: 3 }, edit('Three'));
		expect(every3.json('WPS', 0)[0]).toMatchObject({ mode: 'full', modeReason: 'every 3 runs' });
		// drift: someone edits the user in WPS; the next incremental run touching it reads in full
		const wps = kit.wps();
		const ann = (await dump()).users.find((u) => u.ex_user_id === 'e1')!;
		await wps.users.update(ann.user_id, { title: 'Changed by hand' });
		const r3 = await sync(edit('Three'), {}, inc);
		expect(String(r3.json('WPS', 0)[0].modeReason)).toMatch(/^drift: e1/);
		expect(r3.json('WPS', 0)[0].mode).toBe('full');
		// a failed run (a hand-made sibling takes the name of a new department) forces the next read to be full
		const sales = (await dump()).depts.find((d) => d.ex_dept_id === '10')!;
		const withNew = {
			...edit('Three'),
			Departments: [...base.Departments, { id: '13', parent_id: '10', name: 'East' }],
		};
		const r4 = await sync(withNew, {}, inc);
		expect(r4.json('WPS', 0)[0].status).toBe('done');
		await kit.emu.admin.seedDepts([{ name: 'West', parent_id: sales.dept_id }], { clientId: kit.env.clientId });
		const clash = { ...withNew, Departments: [...withNew.Departments, { id: '14', parent_id: '10', name: 'West' }] };
		const r5 = await sync(clash, {}, inc);
		expect(r5.json('WPS', 0)[0]).toMatchObject({ status: 'failed', mode: 'incremental' });
		expect(r5.json('WPS', 1).map((a) => [a.id, a.status])).toEqual([['dept.create:14', 'failed']]);
		// WPS's code and its own message (human text, never a reason to branch on).
		expect(r5.json('WPS', 1)[0].code).toMatch(/^400000003 \S/);
		const r6 = await run({ operation: 'preview', ...inc }, clash);
		expect(r6.json('WPS', 0)[0]).toMatchObject({
			mode: 'full',
			modeReason: 'the previous run failed or could not be verified',
		});
		// the full read sees the hand-made sibling: the create is reported as blocked instead of failing again
		expect(
			r6
				.json('WPS', 1)
				.filter((i) => i.kind === 'blocked')
				.map((i) => i.exId),
		).toEqual(['14']);
	});

	test('Preview works without a state database', async () => {
		const { mySqlApi: _unused, ...wpsOnly } = kit.env.credentials;
		const r = await syncWorkflow({ operation: 'preview', useStateDatabase: false }).run({
			credentials: wpsOnly,
			pinData: base,
		});
		expect(r.error).toBeUndefined();
		expect(r.json('WPS', 0)[0]).toMatchObject({ mode: 'full', modeReason: 'no state database', totalOperations: 7 });
	});

	test('first-run adoption links an existing account by email instead of creating a second one', async () => {
		const [{ user_id }] = (
			await kit.emu.admin.seedUsers([{ user_name: 'Ann Old', email: 'ann@example.com' }], {
				clientId: kit.env.clientId,
			})
		).users;
		const r = await sync(base, { adoptBy: ['email'] });
		const ann = r.json('WPS', 1).filter((a) => a.exId === 'e1');
		expect(ann.map((a) => [a.kind, a.status, a.wpsId])).toEqual([
			['user.update', 'done', user_id],
			['user.move', 'done', user_id],
		]);
		const users = (await dump()).users.filter((u) => u.email === 'ann@example.com');
		expect(users.map((u) => [u.user_id, u.ex_user_id, u.user_name])).toEqual([[user_id, 'e1', 'Ann']]);
	});
});

describe('WPS Contacts node: scope', () => {
	const kit = useNodeKit('wpsscope', { tenant: 'perDescribe' });
	test("only the scope department's subtree is managed; the rest of the tenant is untouched", async () => {
		const seeded = await kit.emu.admin.seedDepts([{ name: 'Managed' }, { name: 'Outside' }], {
			clientId: kit.env.clientId,
		});
		const [managed, outside] = seeded.depts.map((d) => d.dept_id);
		// objects outside the scope (one of them managed-looking, with an external id): never touched
		await kit.emu.admin.seedDepts([{ name: 'Sales copy', parent_id: outside, ex_dept_id: 'old' }], {
			clientId: kit.env.clientId,
		});
		await kit.emu.admin.seedUsers([{ user_name: 'Out', dept_ids: [outside], ex_user_id: 'out1' }], {
			clientId: kit.env.clientId,
		});
		const before = stableShape(await kit.dump());
		const data = rows(
			[
				['10', '0', 'Sales'],
				['11', '10', 'North'],
			],
			[['e1', 'Ann', '11']],
		);
		const r = await kit.run({ operation: 'sync', scopeDeptId: managed }, data);
		expect(r.error).toBeUndefined();
		const after = await kit.dump();
		const sales = after.depts.find((d) => d.ex_dept_id === '10')!;
		expect(sales.parent_id).toBe(managed);
		const outsideNow = stableShape(after);
		const outsideOnly = (s: typeof before) => ({
			depts: s.depts.filter((x) => !/^(10|11):/.test(x)),
			users: s.users.filter((x) => x.startsWith('out1')),
		});
		expect(outsideOnly(outsideNow)).toEqual(outsideOnly(before));
		// dropping everything from the source except one department never reaches outside the scope
		const shrink = await kit.run(
			{ operation: 'sync', scopeDeptId: managed },
			rows([['10', '0', 'Sales']], [['e1', 'Ann', '10']]),
		);
		expect(shrink.error).toBeUndefined();
		expect(outsideOnly(stableShape(await kit.dump()))).toEqual(outsideOnly(before));
	});
});

describe('WPS Contacts node: leaders, main department, extra attributes', () => {
	const kit = useNodeKit('wpslead', { tenant: 'perDescribe' });
	test('leaders created in the same run (even leading each other) are linked after both exist', async () => {
		const data = {
			Departments: [
				{ id: '10', parent_id: '0', name: 'Sales' },
				{ id: '20', parent_id: '0', name: 'R&D' },
			],
			Users: [
				{ id: 'e1', name: 'Ann', dept_ids: ['10', '20'], main: '20', boss: 'e2', place: 'Shanghai' },
				{ id: 'e2', name: 'Bob', dept_ids: ['20'], main: '20', boss: 'e1', place: 'Beijing' },
				{ id: 'e3', name: 'Cem', dept_ids: ['10'], main: '', boss: 'e1', place: '' },
			],
		};
		const params = {
			operation: 'sync',
			userMainDeptColumn: 'main',
			userLeaderColumn: 'boss',
			userEmailColumn: '',
			userTitleColumn: '',
			extraAttributes: { attribute: [{ field: 'work_place', column: 'place' }] },
		};
		const r = await kit.run(params, data);
		expect(r.error).toBeUndefined();
		expect(r.json('WPS', 1).filter((a) => a.status !== 'done')).toEqual([]);
		const dump = await kit.dump();
		const user = (ex: string) => dump.users.find((u) => u.ex_user_id === ex)!;
		const dept = (ex: string) => dump.depts.find((d) => d.ex_dept_id === ex)!.dept_id;
		expect(user('e1').leader_id).toBe(user('e2').user_id);
		expect(user('e2').leader_id).toBe(user('e1').user_id);
		expect(user('e3').leader_id).toBe(user('e1').user_id);
		expect(user('e1').def_dept_id).toBe(dept('20'));
		expect(user('e1').dept_ids.sort()).toEqual([dept('10'), dept('20')].sort());
		expect(user('e1').work_place).toBe('Shanghai');
		const again = await kit.run(params, data);
		expect(again.json('WPS', 0)[0].planned).toEqual({});
	});
});
