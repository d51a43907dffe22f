/**
 * The parameters WPS Contacts' operations share: the operation, where the credentials are drawn, the scope, the
 * source mapping Preview and Sync read the org chart with, and the options. Each operation's own parameters are
 * in its `*.operation.ts`; the node file puts them all in panel order.
 */
import type { INodeProperties } from 'n8n-workflow';
import { runLogTableProperty } from '../../shared/runLog';

const onSource = { show: { operation: ['preview', 'sync'] } };

/** Inputs and outputs depend on the operation (as n8n's Merge and Webhook nodes do). Self-contained: n8n evaluates its source text. */
export const configuredInputs = (parameters: { operation?: string }) =>
	parameters.operation === 'applyPlan'
		? [{ type: 'main', displayName: 'Plan' }]
		: [
				{ type: 'main', displayName: 'Departments' },
				{ type: 'main', displayName: 'Users' },
			];

export const configuredOutputs = (parameters: { operation?: string }) =>
	parameters.operation === 'applyPlan' || parameters.operation === 'sync'
		? [
				{ type: 'main', displayName: 'Summary' },
				{ type: 'main', displayName: 'Audit' },
				{ type: 'main', displayName: 'Reverse Plan' },
			]
		: [
				{ type: 'main', displayName: 'Summary' },
				{ type: 'main', displayName: 'Operations' },
			];

const column = (
	displayName: string,
	name: string,
	defaultValue: string,
	description: string,
	required = false,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: defaultValue,
	required,
	description,
	displayOptions: onSource,
});

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Preview',
			value: 'preview',
			action: 'Preview the changes',
			description: 'Compute the plan and write nothing: a summary and one item per operation (before/after)',
		},
		{
			name: 'Sync',
			value: 'sync',
			action: 'Sync the directory',
			description: 'Preview, then apply when within the limits',
		},
		{
			name: 'Apply Plan',
			value: 'applyPlan',
			action: 'Apply a previewed plan',
			description: 'Apply the Operations items of an earlier Preview (after an approval, possibly edited)',
		},
	],
	default: 'preview',
};

export const inputsNotice: INodeProperties = {
	displayName:
		'Connect the Departments rows to the first input and the Users rows to the second (e.g. two MySQL Query nodes). Every run is checked for cycles, orphans, duplicate IDs and users in unknown departments before anything is written.',
	name: 'inputsNotice',
	type: 'notice',
	default: '',
	displayOptions: onSource,
};

export const scopeProperty: INodeProperties = {
	displayName: 'Scope Department ID',
	name: 'scopeDeptId',
	type: 'string',
	default: '',
	description:
		'WPS department under which the sync manages the tree (empty: the root). Objects outside it, and objects the sync neither created nor adopted, are never changed or deleted.',
};

/** How Preview and Sync read WPS: in full, or against the snapshot with a full read every N runs. */
export const readModeProperties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{
				name: 'Incremental',
				value: 'incremental',
				description:
					'Diff against the snapshot of what the sync last wrote and read only the objects it touches; a full read every N runs, after a failure or on drift',
			},
			{ name: 'Full', value: 'full', description: 'Read the whole scope from WPS (about one call per 50 objects)' },
		],
		default: 'incremental',
		displayOptions: onSource,
	},
	{
		displayName: 'Full Read Every N Runs',
		name: 'fullEvery',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 7,
		displayOptions: { show: { operation: ['preview', 'sync'], mode: ['incremental'] } },
	},
];

/** Which columns of the Departments and Users rows hold what (Preview and Sync). */
export const sourceMappingProperties: INodeProperties[] = [
	// ---- mapping: departments
	column(
		'Department ID Column',
		'deptIdColumn',
		'id',
		'Column of the department rows holding the stable department id (becomes ex_dept_id)',
		true,
	),
	column(
		'Parent ID Column',
		'deptParentColumn',
		'parent_id',
		'Column holding the parent department id; empty or a top-level value means directly under the scope',
	),
	column('Department Name Column', 'deptNameColumn', 'name', 'Column holding the department name', true),
	column(
		'Department Order Column',
		'deptOrderColumn',
		'',
		'Column holding the sort order among siblings (empty: order is not managed)',
	),
	column(
		'Department Updated At Column',
		'deptUpdatedColumn',
		'',
		'Column with the last change time (used by the "Newer Wins" conflict strategy)',
	),
	column(
		'Top-Level Parent Values',
		'rootParentValues',
		'0',
		'Comma-separated parent values that also mean "top level" besides empty',
	),
	// ---- mapping: users
	column(
		'User ID Column',
		'userIdColumn',
		'id',
		'Column of the user rows holding the stable user id (becomes ex_user_id)',
		true,
	),
	column('User Name Column', 'userNameColumn', 'name', 'Column holding the display name', true),
	column(
		'Department IDs Column',
		'userDeptsColumn',
		'dept_ids',
		"Column holding the user's department ids: a list, or text separated by commas",
		true,
	),
	column(
		'Main Department Column',
		'userMainDeptColumn',
		'',
		'Column holding the main department id (empty: the first department)',
	),
	column('Email Column', 'userEmailColumn', '', 'Column holding the email (empty: email is not managed)'),
	column('Phone Column', 'userPhoneColumn', '', 'Column holding the mobile phone (empty: not managed)'),
	column('Employee ID Column', 'userEmployeeIdColumn', '', 'Column holding the employee number (empty: not managed)'),
	column('Title Column', 'userTitleColumn', '', 'Column holding the job title (empty: not managed)'),
	column(
		'Leader Column',
		'userLeaderColumn',
		'',
		"Column holding the leader's user id from the same source (empty: not managed)",
	),
	column(
		'User Updated At Column',
		'userUpdatedColumn',
		'',
		'Column with the last change time (used by the "Newer Wins" conflict strategy)',
	),
	{
		displayName: 'Extra Attributes',
		name: 'extraAttributes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Attribute',
		default: {},
		displayOptions: onSource,
		options: [
			{
				displayName: 'Attribute',
				name: 'attribute',
				values: [
					{
						displayName: 'WPS Field',
						name: 'field',
						type: 'options',
						options: [
							{ name: 'Employment Type', value: 'employment_type' },
							{ name: 'Gender', value: 'gender' },
							{ name: 'Telephone', value: 'telephone' },
							{ name: 'Work Place', value: 'work_place' },
						],
						default: 'work_place',
					},
					{ displayName: 'Source Column', name: 'column', type: 'string', default: '' },
				],
			},
		],
	},
];

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Adopt Existing Users By',
			name: 'adoptBy',
			type: 'multiOptions',
			options: [
				{ name: 'Email', value: 'email' },
				{ name: 'Phone', value: 'phone' },
				{ name: 'Employee ID', value: 'employee_id' },
			],
			default: [],
			description:
				'First-run soft match: link an existing WPS account that was never linked (no external ID) to the source user with the same value',
		},
		{
			displayName: 'Allow Empty Source',
			name: 'allowEmptySource',
			type: 'boolean',
			default: false,
			description:
				'Whether an empty or nearly empty source may be applied (otherwise refused as a likely broken query)',
		},
		{
			displayName: 'Blank Clears Fields',
			name: 'clearBlank',
			type: 'multiOptions',
			options: [
				{ name: 'Email', value: 'email' },
				{ name: 'Employee ID', value: 'employee_id' },
				{ name: 'Employment Type', value: 'employment_type' },
				{ name: 'Gender', value: 'gender' },
				{ name: 'Phone', value: 'phone' },
				{ name: 'Telephone', value: 'telephone' },
				{ name: 'Title', value: 'title' },
				{ name: 'Work Place', value: 'work_place' },
			],
			default: [],
			description:
				'Fields that an empty source value clears in WPS. Any other field keeps its WPS value when the source cell is empty or NULL (a failed join or a renamed column must not wipe every email).',
		},
		{
			displayName: 'Change Threshold (%)',
			name: 'maxChangePercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 20,
			description:
				'Existing departments and users changed (updated, moved, renamed, reordered, re-enabled) above this share of the managed objects stop the run before any write (0: off). A run changing 20 objects or fewer is never stopped by the share.',
		},
		{
			displayName: 'Change Threshold (Count)',
			name: 'maxChanges',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description:
				'More changed existing departments and users than this stop the run before any write (a renamed or re-pointed column is a mass change)',
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 32 },
			default: 4,
			description: 'Operations in flight at once (only operations whose dependencies are done run side by side)',
		},
		{
			displayName: 'Conflict Strategy',
			name: 'conflictStrategy',
			type: 'options',
			options: [
				{ name: 'Source Wins', value: 'sourceWins', description: 'Overwrite edits made in WPS since the last sync' },
				{ name: 'Target Wins', value: 'targetWins', description: 'Keep the WPS edit: skip the object and report it' },
				{
					name: 'Newer Wins',
					value: 'newerWins',
					description:
						"The source's Updated At column against the time this sync last wrote the object: WPS reports no modification time of a user's or department's own fields (only of a department membership). Where a read does report one, that time is used instead.",
				},
				{ name: 'Manual', value: 'manual', description: 'Leave the object and output a conflict item' },
			],
			default: 'sourceWins',
		},
		{
			displayName: 'Deletion Threshold (%)',
			name: 'maxDeletionPercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 10,
			description: 'Deletions and disables above this share of the managed objects stop the run (0: off)',
		},
		{
			displayName: 'Deletion Threshold (Count)',
			name: 'maxDeletions',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 500,
			description: 'More deletions and disables than this stop the run before any write',
		},
		{
			displayName: 'External ID Prefix',
			name: 'exIdPrefix',
			type: 'string',
			default: '',
			description:
				'Put before every source ID to form the WPS external ID (e.g. hr-). WPS reports its own department and user IDs as external IDs when none was set, so short HR IDs like 1, 2, 3 can otherwise collide with them. Do not change it once the sync has run.',
		},
		{
			displayName: 'Grace Period (Days)',
			name: 'graceDays',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 30,
			description: 'Days a leaver stays disabled before the account is deleted',
		},
		{
			displayName: 'Lock Wait (Seconds)',
			name: 'lockWaitSec',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 30,
			description: 'How long a run waits for another run on the same target to finish before it is refused',
		},
		{
			displayName: 'Operation Items',
			name: 'operationItems',
			type: 'options',
			options: [
				{
					name: 'All',
					value: 'all',
					description: 'One item per operation (needed to edit a plan before Apply Plan)',
				},
				{
					name: 'First N',
					value: 'capped',
					description:
						'Only the first operations, for reading; Apply Plan applies the whole stored plan from the Summary item',
				},
				{
					name: 'None (Summary Only)',
					value: 'none',
					description: 'Apply Plan applies the stored plan from the Summary item',
				},
			],
			default: 'all',
			description:
				'What Preview outputs per operation, and Sync / Apply Plan in Audit (failures first) and Reverse Plan (one item standing for the stored reverse plan): at tens of thousands of users one item per operation makes the execution large',
		},
		{
			displayName: 'Operation Items Limit',
			name: 'maxOperationItems',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description:
				'How many operation items Preview (and audit items Sync / Apply Plan) output with Operation Items "First N"',
		},
		{
			displayName: 'Requests Per Second',
			name: 'ratePerSecond',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 10,
			description: 'Client-side rate limit of WPS calls (0: none)',
		},
		runLogTableProperty(
			'Sync and Apply Plan append one row per run (start, end, status, counts, API calls, error, execution ID) to this table in the state database, created on first use',
		),
		{
			displayName: 'State Table Prefix',
			name: 'tablePrefix',
			type: 'string',
			default: 'wps_sync_',
			description: 'Prefix of the state tables, created on first use in the MySQL database of the credential',
		},
		{
			displayName: 'Unreadable Fields',
			name: 'unreadable',
			type: 'multiOptions',
			options: [
				{ name: 'Email', value: 'email' },
				{ name: 'Phone', value: 'phone' },
				{ name: 'Gender', value: 'gender' },
			],
			default: [],
			description:
				'Fields the app has no read scope for (email and phone are detected; gender cannot be): they are never written',
		},
		{
			displayName: 'Verify Target Before Apply',
			name: 'verifyTarget',
			type: 'boolean',
			default: true,
			description: 'Whether Apply Plan refuses a plan when an object it touches changed in WPS since the preview',
		},
	],
};
