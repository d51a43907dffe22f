import type { INodeParameters } from 'n8n-workflow';
import { FeishuBitable } from '../../nodes/FeishuBitable/FeishuBitable.node';
import { panelOrder } from './panelOrder';

const description = new FeishuBitable().description;
const shown = (version: number, values: INodeParameters) => panelOrder(description, values, version);

const HEAD = ['resource', 'credentials'];
const TAIL = ['base', 'table', 'coordination', 'coordinationNotice'];
/** How a record is found: by its key field's value, or by its record id. */
const BY_KEY = ['recordBy', 'keyField', 'keyValue'];
const BY_ID = ['recordBy', 'recordId'];
const MAPPING: Record<number, string[]> = {
	1: ['mappingMode', 'renames', 'exclude'],
	2: ['columns', 'ignoreProperties'],
};

// Saved workflows of either version keep working only while the parameter names stay; the panel order is what the
// editor showed before the operations were split into files of their own.
describe('Feishu Bitable panel', () => {
	test.each([1, 2])('version %i: each operation shows its parameters under their saved names in panel order', (v) => {
		const record = (operation: string, more: INodeParameters = {}) =>
			shown(v, { resource: 'record', operation, ...more });
		const sync = v === 1 ? ['keyFields', ...MAPPING[1]] : MAPPING[2];
		expect(shown(v, { resource: 'sync' })).toEqual([
			...HEAD,
			'base',
			'table',
			'mode',
			'selectiveNotice',
			...sync,
			'tableLock',
			'syncOptions',
			'coordination',
			'coordinationNotice',
		]);
		expect(record('create')).toEqual([...HEAD, 'operation', ...MAPPING[v], 'simplify', ...TAIL]);
		expect(record('update', { recordBy: 'key' })).toEqual([
			...HEAD,
			'operation',
			...BY_KEY,
			...MAPPING[v],
			'simplify',
			...TAIL,
		]);
		expect(record('update')).toEqual([...HEAD, 'operation', ...BY_ID, ...MAPPING[v], 'simplify', ...TAIL]);
		expect(record('delete')).toEqual([...HEAD, 'operation', ...BY_ID, ...TAIL]);
		expect(record('delete', { recordBy: 'key' })).toEqual([...HEAD, 'operation', ...BY_KEY, ...TAIL]);
		expect(record('get')).toEqual([...HEAD, 'operation', 'recordId', 'simplify', ...TAIL]);
		expect(record('search', { filterType: 'builder' })).toEqual([
			...HEAD,
			'operation',
			'filterType',
			'conjunction',
			'conditions',
			'returnAll',
			'limit',
			'simplify',
			...TAIL,
		]);
		expect(record('search', { filterType: 'json', returnAll: true })).toEqual([
			...HEAD,
			'operation',
			'filterType',
			'filterJson',
			'returnAll',
			'simplify',
			...TAIL,
		]);
		expect(shown(v, { resource: 'table', operation: 'listTables' })).toEqual([
			...HEAD,
			'operation',
			'base',
			'coordination',
			'coordinationNotice',
		]);
		for (const operation of ['listFields', 'checkAccess'])
			expect(shown(v, { resource: 'table', operation })).toEqual([...HEAD, 'operation', ...TAIL]);
	});

	test('version 1 maps field by field when asked', () => {
		expect(shown(1, { resource: 'record', operation: 'create', mappingMode: 'manual' })).toEqual([
			...HEAD,
			'operation',
			'mappingMode',
			'fields',
			'simplify',
			...TAIL,
		]);
	});
});
