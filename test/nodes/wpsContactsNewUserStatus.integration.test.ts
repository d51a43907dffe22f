import type { IDataObject } from 'n8n-workflow';
import { rows, useNodeKit } from './wpsContacts/setup';

/**
 * Whether WPS starts a user created through the API as `active` or `notactive` (never logged in) is unverified
 * (docs/wps-api.md): the sync must converge either way, never "re-enable" a user who simply has not logged in,
 * and still see the users it created in every read.
 */
describe.each(['active', 'notactive'] as const)('WPS Contacts node when WPS starts new users %s', (newUserStatus) => {
	const kit = useNodeKit('wps', { tenant: 'perDescribe', newUserStatus });
	const sync = (data: ReturnType<typeof rows>) => kit.sync(data, {}, { mode: 'full' });
	const org = (users: [string, string, string][]) =>
		rows(
			[
				['10', '0', 'Sales'],
				['20', '0', 'R&D'],
			],
			users.map(
				([id, name, depts]) =>
					[id, name, depts, { email: `${id}@example.com`, title: 'Staff' }] as [string, string, string, IDataObject],
			),
		);
	const everyone: [string, string, string][] = [
		['e1', 'Ann', '10'],
		['e2', 'Bob', '20'],
		['e3', 'Cem', '10,20'],
	];

	test('first sync creates; an unchanged re-sync plans nothing; a leaver is disabled and a re-hire enabled', async () => {
		const first = await sync(org(everyone));
		expect(first.json('WPS', 0)[0]).toMatchObject({ status: 'done' });
		const created = (await kit.dump()).users;
		expect(created.map((u) => [u.ex_user_id, u.status])).toEqual(everyone.map(([id]) => [id, newUserStatus]));

		// Nothing to do: in particular no "enable" for a user who has not activated the account yet.
		const again = await sync(org(everyone));
		expect(again.json('WPS', 1)).toEqual([]);

		const leaver = await sync(org(everyone.slice(0, 2)));
		expect(leaver.json('WPS', 1).map((a) => a.kind)).toEqual(['user.disable']);
		expect((await kit.dump()).users.find((u) => u.ex_user_id === 'e3')?.status).toBe('disabled');

		const back = await sync(org(everyone));
		expect(back.json('WPS', 1).map((a) => a.kind)).toEqual(['user.enable']);
		expect((await kit.dump()).users.find((u) => u.ex_user_id === 'e3')?.status).toBe('active');
		expect((await sync(org(everyone))).json('WPS', 1)).toEqual([]);
	});
});
