import { type NodeEnv, rows, startNodeEnv, syncWorkflow } from './wpsContacts/setup';

describe('WPS Contacts node', () => {
	let env: NodeEnv;
	beforeAll(async () => {
		env = await startNodeEnv();
	});
	afterAll(async () => env.close());

	test('preview writes nothing; sync creates; a second sync plans nothing', async () => {
		const data = rows(
			[
				['10', '0', 'Sales'],
				['11', '10', 'North'],
			],
			[['e1', 'Ann', '11', { email: 'ann@example.com', title: 'Rep' }]],
		);
		const preview = await syncWorkflow({ operation: 'preview' }).run({ credentials: env.credentials, pinData: data });
		expect(preview.error).toBeUndefined();
		const summary = preview.json('WPS', 0)[0];
		expect(summary.counts).toEqual({ 'dept.create': 2, 'user.create': 1 });
		expect(summary.withinLimits).toBe(true);
		expect(preview.json('WPS', 1).map((i) => i.kind)).toEqual(['dept.create', 'dept.create', 'user.create']);
		expect((await env.emu.admin.dump({ clientId: env.clientId })).depts).toHaveLength(1);

		const sync = await syncWorkflow({ operation: 'sync' }).run({ credentials: env.credentials, pinData: data });
		expect(sync.error).toBeUndefined();
		expect(sync.json('WPS', 0)[0].status).toBe('done');
		expect(sync.json('WPS', 1).map((a) => [a.id, a.status])).toEqual([
			['dept.create:10', 'done'],
			['dept.create:11', 'done'],
			['user.create:e1', 'done'],
		]);
		const again = await syncWorkflow({ operation: 'sync' }).run({ credentials: env.credentials, pinData: data });
		expect(again.json('WPS', 0)[0].planned).toEqual({});
	});
});
