import type { INodeProperties } from 'n8n-workflow';
import { filterConditionsProperty } from '../shared/feishu/filter';
import { baseProperty, tableProperty } from '../shared/feishu/tableLocator';
import { credentialsProperty, monthlyCallBudgetProperty } from '../shared/descriptions';

export const triggerProperties: INodeProperties[] = [
	credentialsProperty, // first, as in n8n's own triggers
	{
		displayName:
			'Starts on records that Feishu users create or edit (polled, or pushed by Feishu in Events mode). n8n saves this trigger\'s position before the workflow runs, so each change starts the workflow once: if the workflow then fails, the change is not delivered again. Pair it with the "Task reconciler" template (Record Status → Find Stuck) to catch such tasks.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'poll',
		options: [
			{
				name: 'Poll',
				value: 'poll',
				description: 'Search the table at the Poll Times below (an idle poll costs one Feishu API call)',
			},
			{
				name: 'Events (Long Connection)',
				value: 'events',
				description:
					'Feishu pushes record changes over its long connection (no public URL needed; idle costs no calls). Needs the app\'s event subscription set to "long connection" with drive.file.bitable_record_changed_v1 added. Poll Times are not used.',
			},
		],
	},
	baseProperty(),
	tableProperty(),
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'options',
		default: 'created',
		options: [
			{ name: 'Record Created', value: 'created' },
			{ name: 'Record Updated', value: 'updated' },
			{ name: 'Record Created or Updated', value: 'both' },
		],
	},
	{
		displayName: 'Modified Time Field Name or ID',
		name: 'modifiedField',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getModifiedTimeFields', loadOptionsDependsOn: ['base.value', 'table.value'] },
		default: '',
		required: true,
		description:
			'A field of type "Modified time" (最后更新时间). Feishu\'s search can only filter and sort on table fields, not on a record\'s hidden timestamps, so the table needs one: in Feishu, click "+" on the header row → "Modified time" / 最后更新时间, then pick it here. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Only When These Fields Change',
		name: 'watchFields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['base.value', 'table.value'] },
		default: [],
		displayOptions: { show: { events: ['updated', 'both'] } },
		description:
			'Start the workflow for an update only when one of these fields changed. Leave empty for any change. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Only records that match every condition below (e.g. Status is Pending and Source is Feishu)',
		name: 'filterNotice',
		type: 'notice',
		default: '',
	},
	filterConditionsProperty(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Emit Existing Records on First Poll',
				name: 'emitExisting',
				type: 'boolean',
				default: false,
				description:
					"Whether the first poll after activation starts the workflow for the matching records changed today. Off: the first poll only remembers where it is, like n8n's own polling triggers.",
			},
			{
				displayName: 'Ignore Edits Made by This App',
				name: 'ignoreOwnEdits',
				type: 'boolean',
				default: true,
				description:
					'Whether edits whose "modified by" is this Feishu app are skipped, so the workflow\'s own status writes do not start it again',
			},
			{
				displayName: 'Look-Back Window (Seconds)',
				name: 'lookbackSeconds',
				type: 'number',
				default: 120,
				description:
					"Feishu's search index can lag a little behind an edit; each poll looks back this far, and never emits a change twice",
			},
			monthlyCallBudgetProperty(
				"Feishu caps an app's API calls per month. With a budget, polls are skipped (nothing is lost: the next poll under budget catches up) once the app has made this many calls this month, Asia/Shanghai time: counted in this n8n process, or by every worker when Shared State is Redis (0 = no budget).",
			),
			{
				displayName: 'Re-Read Table Fields Every N Polls',
				name: 'metaEveryPolls',
				type: 'number',
				default: 1440,
				description:
					"The field list and the base's time zone are kept between polls, so an idle poll costs one call. They are read again every this many polls (1440: once a day at one poll a minute; 1 = every poll), and at once when a record shows a field not seen before or a search names a field that is gone (0 = only then).",
			},
		],
	},
];
