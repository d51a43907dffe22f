import type { INodeProperties } from 'n8n-workflow';
import { WpsContacts } from '../../nodes/WpsContacts/WpsContacts.node';

/** The parameters the editor shows for an operation, in order (a parameter shown for any value of `mode`). */
function shown(properties: INodeProperties[], operation: string): string[] {
	return properties
		.filter((p) => {
			const only = p.displayOptions?.show?.operation as string[] | undefined;
			return !only || only.includes(operation);
		})
		.map((p) => p.name);
}

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

describe('WPS Contacts panel', () => {
	const { properties } = new WpsContacts().description;

	// Saved workflows keep working only while the parameter names stay; the credentials stand right below
	// Operation (without a credentials-type parameter n8n draws them above Shared State, at the bottom).
	test('each operation shows the credentials right below Operation, then its parameters under their saved names in panel order', () => {
		const sourceHead = ['operation', 'credentials', 'inputsNotice', 'scopeDeptId', 'mode', 'fullEvery'];
		expect(shown(properties, 'preview')).toEqual([...sourceHead, 'useStateDatabase', ...MAPPING, ...TAIL]);
		expect(shown(properties, 'sync')).toEqual([...sourceHead, ...MAPPING, ...TAIL]);
		expect(shown(properties, 'applyPlan')).toEqual(['operation', 'credentials', 'planNotice', 'scopeDeptId', ...TAIL]);
		expect(properties.find((p) => p.name === 'credentials')?.type).toBe('credentials');
	});
});
