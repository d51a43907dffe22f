/** The parameters every operation shares: where the records live, their field names, the transition rules. */
import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_TRANSITIONS_TEXT } from '../../../lib/recordStatus';
import { baseProperty, tableProperty } from '../../shared/feishu/tableLocator';
import { credentialsProperty } from '../../shared/descriptions';

const bitable = { show: { store: ['bitable'] } };
const mysql = { show: { store: ['mysql'] } };

export const BITABLE_WINDOW_NOTICE =
	'Feishu Bitable has no compare-and-swap: each update reads the record, checks the rules and the version, writes, ' +
	'then reads again to confirm. Within one n8n process the updates of one record are serialised, but another ' +
	'n8n worker (queue mode) or a person editing in Feishu can still write between the check and the write (about ' +
	'one API round trip); the confirming read catches a write that lands after ours, not one just before it. ' +
	'Use the MySQL store where that window matters. Each update costs about 4 API calls.';

export const storeProperties: INodeProperties[] = [
	{
		displayName: 'Store',
		name: 'store',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Feishu Bitable', value: 'bitable', description: 'A Bitable table with a status field' },
			{ name: 'MySQL', value: 'mysql', description: 'A MySQL table with a status column (atomic updates)' },
		],
		default: 'bitable',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Set Status',
				value: 'setStatus',
				action: 'Set a record status',
				description: 'Move a record to a status if the rules allow it',
			},
			{
				name: 'Find Stuck',
				value: 'findStuck',
				action: 'Find stuck records',
				description: 'Records left too long in a status, oldest first',
			},
			{
				name: 'Reconcile Stuck Uploads',
				value: 'reconcileStuck',
				action: 'Reconcile stuck uploads',
				description: 'Requeue stuck tasks whose artefact exists, clean up those whose artefact is missing',
			},
		],
		default: 'setStatus',
	},
	credentialsProperty, // below Store and Operation
	{ displayName: BITABLE_WINDOW_NOTICE, name: 'bitableNotice', type: 'notice', default: '', displayOptions: bitable },
	baseProperty(bitable),
	tableProperty(bitable),
	{
		displayName: 'Table Name',
		name: 'mysqlTable',
		type: 'string',
		default: 'tasks',
		required: true,
		displayOptions: mysql,
		description: 'The table (or database.table) holding the records',
	},
	{
		displayName: 'ID Column',
		name: 'idColumn',
		type: 'string',
		default: 'id',
		displayOptions: mysql,
		description: 'Primary key column; its value is the record ID in the output',
	},
	{
		displayName: 'Key Field / Column',
		name: 'keyField',
		type: 'string',
		default: 'taskId',
		description:
			'Field or column with the business key (e.g. taskId). On MySQL give it a UNIQUE index: create-if-missing relies on it.',
	},
	{ displayName: 'Status Field / Column', name: 'statusField', type: 'string', default: 'status', required: true },
	{
		displayName: 'Version Field / Column',
		name: 'versionField',
		type: 'string',
		default: '',
		description:
			'Optional number field/column for optimistic versioning: each update requires the version read (or given) and adds 1',
	},
	{
		displayName: 'Status Time Field / Column',
		name: 'statusTimeField',
		type: 'string',
		default: '',
		description:
			'Optional date field (Bitable) or DATETIME(3) column (MySQL) written with the time of each status change; Find Stuck and source priority read it',
	},
	{
		displayName: 'Status Source Field / Column',
		name: 'sourceField',
		type: 'string',
		default: '',
		description:
			'Optional field/column recording which source (user, workflow, reconciler) set the status, for source priority',
	},
];

/** The rules every operation checks statuses against (shown for all of them). */
export const transitionsProperty: INodeProperties = {
	displayName: 'Allowed Transitions',
	name: 'transitions',
	type: 'string',
	typeOptions: { rows: 4 },
	default: DEFAULT_TRANSITIONS_TEXT,
	description:
		'One rule a line: "From -> To, To2". The first status is the one a record without status may take. Setting the current status again is a no-op.',
};
