import { WpsContacts } from '../../nodes/WpsContacts/WpsContacts.node';
import { panelOrder } from './panelOrder';

const description = new WpsContacts().description;

const MAPPING = [
	'deptIdColumn',
	'deptParentColumn',
	'deptNameColumn',
	'deptOrderColumn',
	'deptUpdatedColumn',
	'rootParentValues',
	'userIdColumn',
	'userNameColumn',
	'userDeptsColumn',
	'userMainDeptColumn',
	'userEmailColumn',
	'userPhoneColumn',
	'userEmployeeIdColumn',
	'userTitleColumn',
	'userLeaderColumn',
	'userUpdatedColumn',
	'extraAttributes',
];
const TAIL = ['options', 'coordination', 'coordinationNotice'];
const SOURCE_HEAD = ['operation', 'credentials', 'inputsNotice', 'scopeDeptId', 'mode'];

// Saved workflows keep working only while the parameter names stay; the credentials stand right below
// Operation (without a credentials-type parameter n8n draws them above Shared State, at the bottom).
describe('WPS Contacts panel', () => {
	test('Preview: the credentials right below Operation, then scope, read mode, state database, mapping, options', () => {
		expect(panelOrder(description, { operation: 'preview' })).toEqual([
			...SOURCE_HEAD,
			'fullEvery',
			'useStateDatabase',
			...MAPPING,
			...TAIL,
		]);
		expect(panelOrder(description, { operation: 'preview', mode: 'full' })).toEqual([
			...SOURCE_HEAD,
			'useStateDatabase',
			...MAPPING,
			...TAIL,
		]);
		expect(description.properties.find((p) => p.name === 'credentials')?.type).toBe('credentials');
	});

	test('Sync: as Preview without Use State Database (Sync always keeps state)', () => {
		expect(panelOrder(description, { operation: 'sync' })).toEqual([...SOURCE_HEAD, 'fullEvery', ...MAPPING, ...TAIL]);
	});

	test('Apply Plan: the credentials, what to connect, the scope and the options only', () => {
		expect(panelOrder(description, { operation: 'applyPlan' })).toEqual([
			'operation',
			'credentials',
			'planNotice',
			'scopeDeptId',
			...TAIL,
		]);
	});
});
