import type { DesiredState } from '../../../lib/wpsContactsSync/desiredState';
import { planOperations } from '../../../lib/wpsContactsSync/planner';
import { ROOT_EX, type TargetState } from '../../../lib/wpsContactsSync/types';

/** A first sync costs one create per user: a new leader goes into its report's create, after the leader's own. */
describe('leaders of new users', () => {
	const current: TargetState = {
		rootId: 'R',
		depts: [{ id: 'R', exId: 'R', name: 'Root', parentId: '', order: 0 }],
		users: [],
	};
	const user = (ex: string, leaderEx?: string): DesiredState['users'][number] =>
		({
			ex,
			fields: { user_name: ex },
			depts: [ROOT_EX],
			mainDept: ROOT_EX,
			...(leaderEx ? { leaderEx } : {}),
		}) as DesiredState['users'][number];
	const plan = (users: DesiredState['users']) =>
		planOperations(current, { depts: [], users, deleteDepts: [], deleteUsers: [], keepUnmanagedMemberships: true })
			.operations;

	test('a chain of new users is created leader first, each create naming its leader: no second call', () => {
		const ops = plan([user('c', 'b'), user('b', 'a'), user('a')]);
		expect(ops.map((o) => o.kind)).toEqual(['user.create', 'user.create', 'user.create']);
		const byId = new Map(ops.map((o) => [o.id, o]));
		expect(byId.get('user.create:c')).toMatchObject({ after: { leader: { ex: 'b' } }, dependsOn: ['user.create:b'] });
		expect(byId.get('user.create:b')).toMatchObject({ after: { leader: { ex: 'a' } }, dependsOn: ['user.create:a'] });
		expect(byId.get('user.create:a')?.after).not.toHaveProperty('leader');
	});

	test('only users on a leader cycle get their leader by an update; one leading into the cycle does not', () => {
		const ops = plan([user('x', 'y'), user('y', 'x'), user('z', 'x')]);
		const updates = ops
			.filter((o) => o.kind === 'user.update')
			.map((o) => o.id)
			.sort();
		expect(updates).toEqual(['user.update:x:leader', 'user.update:y:leader']);
		expect(ops.find((o) => o.id === 'user.create:z')).toMatchObject({
			after: { leader: { ex: 'x' } },
			dependsOn: ['user.create:x'],
		});
	});
});
