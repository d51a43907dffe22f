import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_TRANSITIONS_TEXT } from '../../lib/status';
import { baseProperty, tableProperty } from '../shared/feishu/tableLocator';

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
	// n8n draws the credentials where a parameter of type "credentials" stands (else above the last parameter a
	// credential depends on: Shared State, at the bottom of the panel): here, below Store and Operation
	{ displayName: 'Credentials', name: 'credentials', type: 'credentials', default: '' },
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

/** A list of name/value pairs to write (the same shape for every field list of Set Status). */
function fieldListProperty(displayName: string, name: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description,
		displayOptions: { show: { operation: ['setStatus'] } },
		options: [
			{
				name: 'field',
				displayName: 'Field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}

export const setStatusProperties: INodeProperties[] = [
	{
		displayName: 'Find Record By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'Key', value: 'key' },
			{ name: 'Record ID', value: 'id' },
		],
		default: 'key',
		displayOptions: { show: { operation: ['setStatus'] } },
	},
	{
		displayName: 'Key Value',
		name: 'keyValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.taskId }}',
		displayOptions: { show: { operation: ['setStatus'], findBy: ['key'] } },
	},
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		description: 'Bitable record_id (rec...) or the MySQL primary key',
		displayOptions: { show: { operation: ['setStatus'], findBy: ['id'] } },
	},
	{
		displayName: 'Target Status',
		name: 'targetStatus',
		type: 'string',
		default: 'Processing',
		required: true,
		displayOptions: { show: { operation: ['setStatus'] } },
	},
	fieldListProperty(
		'Fields to Write',
		'extraFields',
		'Written in the same update as the status (result URLs, error message, a sync state, a timestamp)',
	),
	fieldListProperty(
		'Fields on Create Only',
		'createOnlyFields',
		'Written only when the option Create If Missing creates the record, never when an existing record is updated: ' +
			'what a record starts with but people may edit later (e.g. a prompt edited in Feishu is not overwritten). ' +
			'A field also in Fields to Write takes that value.',
	),
	{
		displayName: 'Allowed Transitions',
		name: 'transitions',
		type: 'string',
		typeOptions: { rows: 4 },
		default: DEFAULT_TRANSITIONS_TEXT,
		description:
			'One rule a line: "From -> To, To2". The first status is the one a record without status may take. Setting the current status again is a no-op.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['setStatus'] } },
		options: [
			{
				displayName: 'Allow Private Network URLs',
				name: 'allowPrivateNetwork',
				type: 'boolean',
				default: false,
				description:
					'Whether attachment URLs may point at private, loopback or link-local addresses (your own network). Off, such URLs are refused, so a URL in an item cannot make n8n fetch from its own host.',
			},
			{
				displayName: 'Create If Missing',
				name: 'createIfMissing',
				type: 'boolean',
				default: false,
				description:
					'Whether to create the record (key + target status + fields) when no record has the key, so a callback that arrives first still lands',
			},
			{
				displayName: 'Event Log Table (MySQL)',
				name: 'eventLogTable',
				type: 'string',
				default: '',
				placeholder: 'status_events',
				description:
					'Append every transition attempt (record, from, to, source, versions, applied or skipped and why, time, execution ID) to this MySQL table, created on first use, so support can answer "what happened to this task". Store = MySQL only (it uses that credential).',
			},
			{
				displayName: 'Expected Version',
				name: 'expectedVersion',
				type: 'string',
				default: '',
				description: 'The version the caller saw (e.g. from a callback); empty = the version read now',
			},
			{
				displayName: 'If Skipped',
				name: 'onSkip',
				type: 'options',
				options: [
					{ name: 'Report in Output', value: 'report', description: 'Applied: false, with the reason' },
					{ name: 'Fail the Item', value: 'fail' },
				],
				default: 'report',
				description: 'What an illegal, stale, lower-priority or conflicting update (or a missing record) does',
			},
			{
				displayName: 'Include Input Data',
				name: 'includeInput',
				type: 'boolean',
				default: false,
				description: 'Whether to add the input item under "input" in the output, for later nodes',
			},
			{
				displayName: 'On Version Conflict',
				name: 'onConflict',
				type: 'options',
				options: [
					{ name: 'Report', value: 'report' },
					{ name: 'Re-Read and Retry', value: 'retry' },
				],
				default: 'report',
				description:
					'When another update wins between our read and our write. A version given in the input is never retried.',
			},
			{
				displayName: 'Refresh When Unchanged',
				name: 'refreshWhenUnchanged',
				type: 'boolean',
				default: false,
				description:
					'Whether to write the fields and the status time even when the record already has the target status (e.g. to count an attempt)',
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				options: [
					{ name: 'User', value: 'user' },
					{ name: 'Workflow', value: 'workflow' },
					{ name: 'Reconciler', value: 'reconciler' },
				],
				default: 'workflow',
				description:
					"Who makes this update. An update never overrides a status that a higher-priority source set after the update's time (user > workflow > reconciler).",
			},
			{
				displayName: 'Update Time',
				name: 'eventTime',
				type: 'dateTime',
				default: '',
				description:
					"When the update happened (e.g. the callback's timestamp); empty = now. Written as the status time.",
			},
		],
	},
];

export const findStuckProperties: INodeProperties[] = [
	{
		displayName: 'Stuck When',
		name: 'rules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {
			rule: [
				{ status: 'Pending', olderThanMinutes: 10 },
				{ status: 'Processing', olderThanMinutes: 30 },
			],
		},
		displayOptions: { show: { operation: ['findStuck'] } },
		options: [
			{
				name: 'rule',
				displayName: 'Rule',
				values: [
					{ displayName: 'Status', name: 'status', type: 'string', default: 'Pending' },
					{
						displayName: 'Older Than (Minutes)',
						name: 'olderThanMinutes',
						type: 'number',
						default: 10,
						typeOptions: { minValue: 0 },
					},
				],
			},
		],
		description:
			'Records in a status whose status time is older than the age. Needs the status time field/column. Runs once per execution (for the first input item).',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { operation: ['findStuck'] } },
	},
];

const reconcile = { show: { operation: ['reconcileStuck'] } };

export const reconcileProperties: INodeProperties[] = [
	{
		displayName: 'Stuck Status',
		name: 'stuckStatus',
		type: 'string',
		default: 'Processing',
		required: true,
		displayOptions: reconcile,
		description: 'Records in this status for longer than the minimum age are checked',
	},
	{
		displayName: 'Minimum Age (Minutes)',
		name: 'minAgeMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		displayOptions: reconcile,
		description: 'Only records whose status time is older than this (the status time field must be set)',
	},
	{
		displayName: 'Artefact Check',
		name: 'artefactCheck',
		type: 'options',
		default: 'http',
		displayOptions: reconcile,
		options: [
			{
				name: 'HTTP HEAD on a URL',
				value: 'http',
				description:
					"The record holds the artefact's URL: 2xx = exists, 404/410 = missing, anything else = unknown (left alone)",
			},
			{
				name: 'Row in a MySQL Table',
				value: 'mysqlRow',
				description: "A row of a table in the MySQL store's database holds the artefact (Store = MySQL)",
			},
		],
	},
	{
		displayName: 'URL Field',
		name: 'urlField',
		type: 'string',
		default: 'resultUrl',
		displayOptions: { show: { operation: ['reconcileStuck'], artefactCheck: ['http'] } },
		description: 'Field (or column) of the record holding the artefact URL',
	},
	{
		displayName: 'Artefact Table',
		name: 'artefactTable',
		type: 'string',
		default: '',
		placeholder: 'gen_results',
		displayOptions: { show: { operation: ['reconcileStuck'], artefactCheck: ['mysqlRow'] } },
	},
	{
		displayName: 'Artefact Column',
		name: 'artefactColumn',
		type: 'string',
		default: 'task_id',
		displayOptions: { show: { operation: ['reconcileStuck'], artefactCheck: ['mysqlRow'] } },
		description: 'Column of the artefact table that names the task',
	},
	{
		displayName: 'Task Field',
		name: 'artefactValueField',
		type: 'string',
		default: '',
		placeholder: 'taskId',
		displayOptions: { show: { operation: ['reconcileStuck'], artefactCheck: ['mysqlRow'] } },
		description: 'Field (or column) of the record whose value the artefact column must equal; empty = the key field',
	},
	{
		displayName: 'Requeue Status',
		name: 'requeueStatus',
		type: 'string',
		default: 'Pending',
		displayOptions: reconcile,
		description:
			'When the artefact exists, the task moves to this status (the transitions must allow it, e.g. "Processing -> Pending")',
	},
	{
		displayName: 'When the Artefact Is Missing',
		name: 'whenMissing',
		type: 'options',
		default: 'markFailed',
		displayOptions: reconcile,
		options: [
			{ name: 'Mark Failed With the Reason', value: 'markFailed' },
			{
				name: 'Delete the Record',
				value: 'delete',
				description: 'Only while it is still in the stuck status with the version it was found with',
			},
		],
	},
	{
		displayName: 'Failed Status',
		name: 'failedStatus',
		type: 'string',
		default: 'Failed',
		displayOptions: { show: { operation: ['reconcileStuck'], whenMissing: ['markFailed'] } },
	},
	{
		displayName: 'Reason Field',
		name: 'reasonField',
		type: 'string',
		default: '',
		placeholder: 'error',
		displayOptions: { show: { operation: ['reconcileStuck'], whenMissing: ['markFailed'] } },
		description: 'Field (or column) that receives why the task was marked Failed; empty = none',
	},
	{
		displayName: 'Queued Field',
		name: 'queuedField',
		type: 'string',
		default: '',
		placeholder: 'queuedAt',
		displayOptions: reconcile,
		description: 'A record whose value in this field is set is already queued and is skipped; empty = none',
	},
	{
		displayName: 'Limit',
		name: 'reconcileLimit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 100,
		displayOptions: reconcile,
		description: 'Max number of stuck records handled per run (oldest first)',
	},
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 10,
		displayOptions: reconcile,
		description: 'Records checked at once (their checks run in parallel)',
	},
	{
		displayName: 'Options',
		name: 'reconcileOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: reconcile,
		options: [
			{
				displayName: 'Allow Private Network URLs',
				name: 'allowPrivateNetwork',
				type: 'boolean',
				default: false,
				description: 'Whether artefact URLs may point at private, loopback or link-local addresses (your own network)',
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'string',
				default: 'reconciler',
				description: 'Source written with the status change',
			},
		],
	},
];
