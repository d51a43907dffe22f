import { desiredFromSource } from '../../../lib/wpsContactsSync/syncRules';
import { DAY, NOW, ruleSettings as rules, sourceOf, world } from './fixtures';

describe('sync rules', () => {
	test('newer wins: the source wins only when it changed after the sync last wrote', () => {
		const { current, records } = world('Edited in WPS');
		const newer = sourceOf([['d1', '', 'Sales']], [['e1', 'Ann', ['d1'], { title: 'Senior Rep' }]], {
			fields: ['user_name', 'title'],
		});
		newer.users[0].updatedAt = NOW - DAY;
		const r1 = desiredFromSource(newer, current, records, rules({ conflictStrategy: 'newerWins' }));
		expect(r1.conflicts.map((c) => c.resolution)).toEqual(['sourceWins']);
		expect(r1.desired.users[0].fields.title).toBe('Senior Rep');
		newer.users[0].updatedAt = NOW - 20 * DAY;
		const r2 = desiredFromSource(newer, current, records, rules({ conflictStrategy: 'newerWins' }));
		expect(r2.conflicts.map((c) => c.resolution)).toEqual(['targetWins']);
		expect(r2.desired.users[0].fields).toEqual({});
	});

	test('a leaver is disabled, kept disabled within the grace period, deleted after it', () => {
		const { current, records } = world('Rep');
		const gone = sourceOf([['d1', '', 'Sales']], [['e9', 'Other', ['d1']]]);
		expect(desiredFromSource(gone, current, records, rules()).desired.users.find((u) => u.ex === 'e1')?.status).toBe(
			'disabled',
		);
		current.users[0].status = 'disabled';
		records.users.get('e1')!.disabledAt = NOW - 29 * DAY;
		expect(desiredFromSource(gone, current, records, rules()).desired.deleteUsers).toEqual([]);
		records.users.get('e1')!.disabledAt = NOW - 30 * DAY;
		expect(desiredFromSource(gone, current, records, rules()).desired.deleteUsers).toEqual(['e1']);
		// disabled by someone else (no disable date of the sync): never deleted
		records.users.get('e1')!.disabledAt = null;
		expect(desiredFromSource(gone, current, records, rules()).desired.deleteUsers).toEqual([]);
	});

	test('unreadable fields are left out of what the sync manages', () => {
		const { current, records } = world('Rep');
		const src = sourceOf([['d1', '', 'Sales']], [['e1', 'Ann', ['d1'], { email: 'a@x', title: 'Rep' }]]);
		const r = desiredFromSource(src, current, records, rules({ unreadable: ['email'] }));
		expect(Object.keys(r.desired.users[0].fields).sort()).toEqual(['title', 'user_name']);
	});
});
