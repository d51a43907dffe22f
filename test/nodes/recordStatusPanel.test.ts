import { RecordStatus } from '../../nodes/RecordStatus/RecordStatus.node';
import { panelOrder } from './panelOrder';

const description = new RecordStatus().description;
const STORE = ['keyField', 'statusField', 'versionField', 'statusTimeField', 'sourceField'];
const BITABLE = ['store', 'operation', 'credentials', 'bitableNotice', 'base', 'table', ...STORE];
const MYSQL = ['store', 'operation', 'credentials', 'mysqlTable', 'idColumn', ...STORE];
const SET_STATUS = ['findBy', 'keyValue', 'targetStatus', 'extraFields', 'createOnlyFields', 'transitions', 'options'];
const RECONCILE = ['stuckStatus', 'minAgeMinutes', 'artefactCheck'];
const RECONCILE_TAIL = ['requeueStatus', 'whenMissing', 'failedStatus', 'reasonField', 'queuedField'];
const RECONCILE_END = ['reconcileLimit', 'batchSize', 'reconcileOptions'];
const SHARED_STATE = ['coordination', 'coordinationNotice'];

// Saved workflows keep working only while the parameter names stay; the panel order is what the editor showed before
// the operations were split into files of their own, with the credentials right below Store and Operation.
describe('Record Status panel', () => {
	test('Set Status: the store, the record, the transitions, the options; Shared State only on Bitable', () => {
		expect(panelOrder(description, { store: 'bitable', operation: 'setStatus' })).toEqual([
			...BITABLE,
			...SET_STATUS,
			...SHARED_STATE,
		]);
		expect(panelOrder(description, { store: 'mysql', operation: 'setStatus', findBy: 'id' })).toEqual([
			...MYSQL,
			...SET_STATUS.map((name) => (name === 'keyValue' ? 'recordId' : name)),
		]);
	});

	test('Find Stuck and Reconcile Stuck Uploads: the shared transitions above their own parameters', () => {
		expect(panelOrder(description, { store: 'bitable', operation: 'findStuck' })).toEqual([
			...BITABLE,
			'transitions',
			'rules',
			'limit',
			...SHARED_STATE,
		]);
		expect(panelOrder(description, { store: 'bitable', operation: 'reconcileStuck' })).toEqual([
			...BITABLE,
			'transitions',
			...RECONCILE,
			'urlField',
			...RECONCILE_TAIL,
			...RECONCILE_END,
			...SHARED_STATE,
		]);
		expect(
			panelOrder(description, {
				store: 'mysql',
				operation: 'reconcileStuck',
				artefactCheck: 'mysqlRow',
				whenMissing: 'delete',
			}),
		).toEqual([
			...MYSQL,
			'transitions',
			...RECONCILE,
			'artefactTable',
			'artefactColumn',
			'artefactValueField',
			'requeueStatus',
			'whenMissing',
			'queuedField',
			...RECONCILE_END,
		]);
		expect(description.properties.find((p) => p.name === 'credentials')?.type).toBe('credentials');
	});
});
