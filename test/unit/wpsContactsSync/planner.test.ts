import { planOperations } from '../../../lib/wpsContactsSync/planner';
import { validatePlan } from '../../../lib/wpsContactsSync/planValidation';
import { reversePlan } from '../../../lib/wpsContactsSync/reverse';
import { checkThresholds } from '../../../lib/wpsContactsSync/thresholds';
import { validateSource } from '../../../lib/wpsContactsSync/source';
import type { DesiredState } from '../../../lib/wpsContactsSync/desiredState';
import { ROOT_EX, type TargetState } from '../../../lib/wpsContactsSync/types';
import { sourceOf } from './fixtures';

const dept = (id: string, exId: string, name: string, parentId = 'R') => ({ id, exId, name, parentId, order: 0 });
const desired = (depts: DesiredState['depts'], over: Partial<DesiredState> = {}): DesiredState => ({
	depts,
	users: [],
	deleteDepts: [],
	deleteUsers: [],
	keepUnmanagedMemberships: true,
	...over,
});

/** The departments wanted, as [ex, name, parent ex (the root when left out)]. */
const wanted = (rows: Array<[string, string, string?]>, over: Partial<DesiredState> = {}) =>
	desired(
		rows.map(([ex, name, parentEx = ROOT_EX]) => ({ ex, name, parentEx })),
		over,
	);

/** The operations that take `state` to the departments wanted. */
const opsFor = (state: TargetState, rows: Array<[string, string, string?]>) =>
	planOperations(state, wanted(rows)).operations;

describe('planner ordering', () => {
	const current: TargetState = {
		rootId: 'R',
		depts: [dept('R', 'R', 'Root', ''), dept('1', 'a', 'A'), dept('2', 'b', 'B')],
		users: [],
	};

	test('two siblings swapping names go through a temporary name', () => {
		const operations = opsFor(current, [
			['a', 'B'],
			['b', 'A'],
		]);
		expect(operations.map((o) => [o.id, o.after])).toEqual([
			['dept.rename:b:tmp', { name: 'B~sync-b' }],
			['dept.rename:a', { name: 'B', parent: { ex: ROOT_EX, id: 'R' } }],
			['dept.rename:b', { name: 'A', parent: { ex: ROOT_EX, id: 'R' } }],
		]);
	});

	test('a rename that frees a name runs before the rename that takes it', () => {
		const operations = opsFor(current, [
			['a', 'C'],
			['b', 'A'],
		]);
		expect(operations.map((o) => o.id)).toEqual(['dept.rename:a', 'dept.rename:b']);
		expect(operations[1].dependsOn).toEqual(['dept.rename:a']);
	});

	test('a parent and child trading places: the new parent moves first', () => {
		const nested: TargetState = {
			rootId: 'R',
			depts: [dept('R', 'R', 'Root', ''), dept('1', 'a', 'A'), dept('2', 'b', 'B', '1')],
			users: [],
		};
		const operations = opsFor(nested, [
			['b', 'B'],
			['a', 'A', 'b'],
		]);
		expect(operations.map((o) => o.id)).toEqual(['dept.move:b', 'dept.move:a']);
	});

	test('members leave and children go before a department is deleted; hand-made content blocks it', () => {
		const withContent: TargetState = {
			rootId: 'R',
			depts: [dept('R', 'R', 'Root', ''), dept('1', 'a', 'A'), dept('2', 'b', 'B', '1'), dept('3', 'c', 'C')],
			users: [
				{
					id: 'u1',
					exId: 'x1',
					status: 'active',
					deptIds: ['2'],
					mainDeptId: '2',
					leaderId: '',
					fields: { user_name: 'Ann' },
				},
			],
		};
		const plan = planOperations(
			withContent,
			wanted([['c', 'C']], {
				deleteDepts: ['a', 'b'],
				users: [{ ex: 'x1', status: 'active', fields: {}, depts: ['c'], mainDept: 'c' }],
			}),
		);
		expect(plan.operations.map((o) => o.id)).toEqual(['user.move:x1', 'dept.delete:b', 'dept.delete:a']);
		const handMade = { ...withContent, users: [{ ...withContent.users[0], exId: 'hand' }] };
		const blocked = planOperations(handMade, wanted([['c', 'C']], { deleteDepts: ['a', 'b'] }));
		expect(blocked.operations).toEqual([]);
		expect(blocked.blocked.map((b) => [b.exId, b.skipped])).toEqual([['b', ['dept.delete:a']]]);
	});

	test('a reverse plan undoes in the opposite dependency order', () => {
		const operations = opsFor(current, [
			['a', 'A'],
			['b', 'B'],
			['n', 'N', 'a'],
			['m', 'M', 'n'],
		]);
		const reverse = reversePlan(
			operations,
			new Map([
				['dept:n', '10'],
				['dept:m', '11'],
			]),
		);
		expect(reverse.map((o) => [o.id, o.wpsId])).toEqual([
			['dept.delete:m', '11'],
			['dept.delete:n', '10'],
		]);
		expect(validatePlan(reverse).errors).toEqual([]);
	});
});

describe('plan validation, thresholds and source checks', () => {
	test('an operation under a dropped create is refused', () => {
		const current: TargetState = { rootId: 'R', depts: [dept('R', 'R', 'Root', '')], users: [] };
		const operations = opsFor(current, [
			['n', 'N'],
			['m', 'M', 'n'],
		]);
		expect(validatePlan(operations).errors).toEqual([]);
		expect(validatePlan(operations.slice(1)).errors.join('\n')).toMatch(/dept.create:m depends on dept.create:n/);
	});

	test('thresholds count deletions and disables, by count and by share', () => {
		const ops = ['dept.delete', 'user.disable', 'user.delete', 'user.create'].map((kind, i) => ({
			kind,
			id: `${kind}:${i}`,
			wpsId: 'x',
		})) as never[];
		expect(checkThresholds(ops, 100, { maxDeletions: 500, maxDeletionPercent: 10 })).toMatchObject({
			withinLimits: true,
			deletions: 3,
			percent: 3,
		});
		expect(checkThresholds(ops, 100, { maxDeletions: 2, maxDeletionPercent: 0 }).withinLimits).toBe(false);
		expect(checkThresholds(ops, 20, { maxDeletions: 500, maxDeletionPercent: 10 })).toMatchObject({
			withinLimits: false,
			percent: 15,
		});
	});

	test('source errors name the offending ids', () => {
		const source = sourceOf(
			[
				['a', 'b', 'A'],
				['b', 'a', 'B'],
				['c', 'zz', 'C'],
				['d', '', 'D'],
				['d', '', 'D2'],
				['e', '', 'Same'],
				['f', '', 'Same'],
			],
			[
				['u1', 'Ann', ['q']],
				['u1', 'Bob', ['d']],
			],
		);
		const errors = validateSource(source, { managedDepts: 0, managedUsers: 0, allowEmptySource: false });
		expect(Object.fromEntries(errors.map((e) => [e.kind, e.ids]))).toEqual({
			duplicateDeptId: ['d'],
			orphan: ['c'],
			cycle: ['a', 'b'],
			siblingNameClash: ['e', 'f'],
			duplicateUserId: ['u1'],
			userInUnknownDept: ['u1'],
		});
	});
});
