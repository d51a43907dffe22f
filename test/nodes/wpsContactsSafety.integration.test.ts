import type { IDataObject } from 'n8n-workflow';
import { lockName } from '../../lib/mysql';
import { targetKeyOf } from '../../nodes/WpsContacts/helpers/context';
import { stableShape } from './wpsContacts/dumpShape';
import { syncWorkflow, useNodeKit } from './wpsContacts/setup';

/** The safety guards of issue 12 through the node, against the WPS emulator and a real MySQL state database. */
describe('WPS Contacts node: safety on real data', () => {
	const kit = useNodeKit('wpssafe');
	const { dump, run, apply } = kit;
	const description = (error: unknown) =>
		`${(error as Error)?.message}\n${(error as { description?: string })?.description ?? ''}`;

	/** 30 users in two departments, with email and title. */
	const hr = (user: (i: number) => IDataObject = (i) => ({ email: `p${i}@example.com`, title: 'Staff' })) => ({
		Departments: [
			{ id: '10', parent_id: '0', name: 'Sales' },
			{ id: '11', parent_id: '10', name: 'North' },
		],
		Users: Array.from({ length: 30 }, (_, i) => ({
			id: `e${i}`,
			name: `Person ${i}`,
			dept_ids: i % 2 ? '10' : '11',
			...user(i),
		})),
	});

	test('an HR email column that comes back NULL wipes no email; Blank Clears Fields lets it clear', async () => {
		expect((await run({ operation: 'sync' }, hr())).error).toBeUndefined();
		const nulls = hr(() => ({ email: null, title: 'Staff' }));
		const r = await run({ operation: 'sync' }, nulls);
		expect(r.error).toBeUndefined();
		expect(r.json('WPS', 0)[0].planned).toEqual({});
		const emails = (await dump()).users.filter((u) => u.ex_user_id.startsWith('e')).map((u) => u.email);
		expect(emails).toHaveLength(30);
		expect(emails.every((e) => /^p\d+@example\.com$/.test(String(e)))).toBe(true);
		// explicitly allowed for email (and within a raised change limit): the blanks clear it
		const cleared = await run({ operation: 'sync' }, nulls, {
			clearBlank: ['email'],
			maxChanges: 100,
			maxChangePercent: 0,
		});
		expect(cleared.error).toBeUndefined();
		expect(cleared.json('WPS', 0)[0].planned).toEqual({ 'user.update': 30 });
		expect((await dump()).users.filter((u) => u.ex_user_id.startsWith('e') && u.email)).toEqual([]);
	});

	test('a mass update (a re-pointed column) stops Sync before any write, as mass deletions do', async () => {
		expect((await run({ operation: 'sync' }, hr())).error).toBeUndefined();
		const before = stableShape(await dump());
		const repointed = hr((i) => ({ email: `p${i}@example.com`, title: `CC-${1000 + i}` }));
		const r = await run({ operation: 'sync' }, repointed);
		expect(description(r.error)).toMatch(
			/Threshold exceeded; nothing was written: 30 objects changed are 93\.8% of the 32 managed objects \(limit 20%\)/,
		);
		const counted = await run({ operation: 'sync' }, repointed, { maxChanges: 10, maxChangePercent: 0 });
		expect(description(counted.error)).toMatch(/30 objects changed exceed the limit of 10/);
		expect(stableShape(await dump())).toEqual(before);
		// Preview says so too (the template asks for an approval then)
		const preview = await run({ operation: 'preview' }, repointed);
		expect(preview.json('WPS', 0)[0]).toMatchObject({ withinLimits: false, verdict: { changes: 30 } });
	});

	test('Apply Plan refuses an edited item that names a hand-made user, before any write', async () => {
		expect((await run({ operation: 'sync' }, hr())).error).toBeUndefined();
		const [{ user_id: handId }] = (
			await kit.emu.admin.seedUsers([{ user_name: 'Hana', email: 'hana@example.com', title: 'Founder' }], {
				clientId: kit.env.clientId,
			})
		).users;
		const ops = (
			await run(
				{ operation: 'preview' },
				hr((i) => ({ email: `p${i}@example.com`, title: i === 4 ? 'Lead' : 'Staff' })),
			)
		).json('WPS', 1);
		expect(ops.map((o) => o.id)).toEqual(['user.update:e4']);
		const before = stableShape(await dump());
		const edited = [{ ...ops[0], wpsId: handId }];
		const r = await apply(edited);
		expect(description(r.error)).toMatch(
			new RegExp(
				`names objects this sync does not manage[\\s\\S]*user ${handId} is not one this sync created or adopted`,
			),
		);
		expect(stableShape(await dump())).toEqual(before);
		expect((await dump()).users.find((u) => u.user_id === handId)?.title).toBe('Founder');
		const applied = await apply(ops);
		expect(applied.json('WPS', 0)[0]).toMatchObject({ status: 'done', failed: 0 });
	});

	test("with an empty External ID Prefix, an HR id equal to a hand-made user's own WPS id is refused with a hint", async () => {
		const [{ user_id: handId }] = (
			await kit.emu.admin.seedUsers([{ user_name: 'Hana', email: 'hana@example.com' }], { clientId: kit.env.clientId })
		).users;
		const before = stableShape(await dump());
		const data = {
			Departments: [{ id: 'd1', parent_id: '0', name: 'Sales' }],
			Users: [{ id: handId, name: 'Ann', dept_ids: 'd1', email: 'ann@example.com', title: '' }],
		};
		const r = await run({ operation: 'sync' }, data);
		expect(description(r.error)).toMatch(
			new RegExp(
				`idCollision: source user id\\(s\\) ${handId} equal the WPS id of objects this sync did not create[\\s\\S]*set an External ID Prefix`,
			),
		);
		expect(stableShape(await dump())).toEqual(before);
		const prefixed = await run({ operation: 'sync' }, data, { exIdPrefix: 'hr-' });
		expect(prefixed.error).toBeUndefined();
		expect((await dump()).users.find((u) => u.user_id === handId)?.user_name).toBe('Hana');
	});

	test("Preview's operation items can be capped or left out; Apply Plan applies the stored plan from the summary and refuses capped items", async () => {
		const capped = await run({ operation: 'preview' }, hr(), { operationItems: 'capped', maxOperationItems: 3 });
		const summary = capped.json('WPS', 0)[0];
		expect(summary).toMatchObject({ totalOperations: 32, operationItems: 3, storedPlan: true });
		const items = capped.json('WPS', 1);
		expect(items.map((i) => [i.id, i.partial])).toEqual([
			['dept.create:10', true],
			['dept.create:11', true],
			['user.create:e1', true],
		]);
		const partial = await apply(items);
		expect(description(partial.error)).toMatch(/capped Preview output/);
		expect((await dump()).users).toHaveLength(0);
		const none = await run({ operation: 'preview' }, hr(), { operationItems: 'none' });
		expect(none.json('WPS', 1)).toEqual([]);
		const applied = await apply(none.json('WPS', 0));
		expect(applied.error).toBeUndefined();
		expect(applied.json('WPS', 0)[0]).toMatchObject({
			status: 'done',
			failed: 0,
			planId: none.json('WPS', 0)[0].planId,
		});
		expect(applied.json('WPS', 1)).toHaveLength(32);
		expect((await dump()).users.filter((u) => u.ex_user_id.startsWith('e'))).toHaveLength(30);
		// a summary with nothing planned applies nothing; one whose Preview found source errors is refused
		const idle = await run({ operation: 'preview' }, hr(), { operationItems: 'none' });
		expect(idle.json('WPS', 0)[0].totalOperations).toBe(0);
		const noop = await apply(idle.json('WPS', 0));
		expect(noop.error).toBeUndefined();
		expect(noop.json('WPS', 0)).toEqual([]);
		const broken = {
			...hr(),
			Departments: [
				{ id: '10', parent_id: '11', name: 'Sales' },
				{ id: '11', parent_id: '10', name: 'North' },
			],
		};
		const erroneous = await run({ operation: 'preview' }, broken, { operationItems: 'none' });
		const refused = await apply(erroneous.json('WPS', 0));
		expect(description(refused.error)).toMatch(/found errors in the source[\s\S]*cycle/);
	});

	test("Sync's Audit and Reverse Plan outputs are capped by the same option; the stored reverse plan undoes the run", async () => {
		expect((await run({ operation: 'sync' }, hr())).error).toBeUndefined();
		const before = stableShape(await dump());
		const next = {
			...hr((i) => ({ email: `p${i}@example.com`, title: i < 3 ? 'Lead' : 'Staff' })),
			Departments: [...hr().Departments, { id: '12', parent_id: '10', name: 'South' }],
		};
		const capped = await run({ operation: 'sync' }, next, { operationItems: 'capped', maxOperationItems: 2 });
		expect(capped.error).toBeUndefined();
		expect(capped.json('WPS', 0)[0]).toMatchObject({ status: 'done', auditItems: 2, reverseOperations: 4 });
		expect(capped.json('WPS', 1)).toHaveLength(2);
		const [stored] = capped.json('WPS', 2);
		expect(capped.json('WPS', 2)).toHaveLength(1);
		expect(stored).toMatchObject({ kind: 'storedReversePlan', runId: capped.json('WPS', 0)[0].runId, operations: 4 });
		expect(stableShape(await dump())).not.toEqual(before);
		const undo = await apply([stored], { operationItems: 'none' });
		expect(undo.error).toBeUndefined();
		expect(undo.json('WPS', 0)[0]).toMatchObject({ status: 'done', failed: 0, auditItems: 0 });
		expect(undo.json('WPS', 1)).toEqual([]);
		expect(stableShape(await dump())).toEqual(before);
	});

	test("Preview takes the target's lock when it writes state: refused while another run holds it", async () => {
		const key = lockName(`wps-contacts:${targetKeyOf(kit.emu.baseUrl, kit.env.clientId, '')}`);
		const other = kit.db.admin; // another session: GET_LOCK names are server-wide
		try {
			const [got] = await other.query('SELECT GET_LOCK(?, 0) AS got', [key]);
			expect((got as Array<{ got: number }>)[0].got).toBe(1);
			const busy = await run({ operation: 'preview' }, hr(), { lockWaitSec: 0 });
			// the message says what happened, the description what to do
			expect(description(busy.error)).toMatch(/holds the lock[\s\S]*raise "Lock Wait"/);
			// without the state database Preview writes no state and needs no lock
			const { mySqlApi: _unused, ...wpsOnly } = kit.env.credentials;
			const stateless = await syncWorkflow({ operation: 'preview', useStateDatabase: false }).run({
				credentials: wpsOnly,
				pinData: hr() as never,
			});
			expect(stateless.error).toBeUndefined();
			await other.query('SELECT RELEASE_LOCK(?)', [key]);
			expect((await run({ operation: 'preview' }, hr(), { lockWaitSec: 0 })).error).toBeUndefined();
		} finally {
			await other.query('SELECT RELEASE_LOCK(?)', [key]);
		}
	});
});
