/**
 * Picking a Bitable table, shared by every Feishu Bitable node: a "Base" (link, wiki link or app token)
 * and a "Table" resource locator (searchable list of the base's tables, a link with ?table=, or an id),
 * plus the list search and field load options the editor calls.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { parseBitableUrl } from '../../../lib/feishu/bitableUrl';
import { FeishuInputError } from '../../../lib/feishu/errors';
import type { FeishuSession } from '../../../lib/feishu/session';
import { typeName, READ_ONLY_TYPES } from '../../../lib/feishu/fieldValues';
import { filterOperatorsFor } from '../../../lib/feishu/filter';
import { getFeishuSession } from './session';

const LINK_REGEX = 'https?://[^\\s]+/(?:base|wiki)/[A-Za-z0-9_-]+.*';

/** The base: a base or wiki link (Feishu or Lark host) or an app token. */
export function baseProperty(displayOptions?: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Base',
		name: 'base',
		type: 'resourceLocator',
		default: { mode: 'url', value: '' },
		required: true,
		description: 'The Bitable base. Feishu has no API that lists the bases an app may open, so paste its link.',
		displayOptions,
		modes: [
			{
				displayName: 'By Link',
				name: 'url',
				type: 'string',
				placeholder: 'https://xxx.feishu.cn/base/bascn...?table=tbl...',
				hint: 'A base link or a wiki link to a base (Feishu or Lark). The app must be added to the base ("…" -> "Add document app" / 添加文档应用).',
				validation: [{ type: 'regex', properties: { regex: LINK_REGEX, errorMessage: 'Not a base or wiki link' } }],
			},
			{
				displayName: 'By App Token',
				name: 'id',
				type: 'string',
				placeholder: 'bascnXXXXXXXXXXXXXXXX',
			},
		],
	};
}

/** The table: from the base's list, by a link with ?table=, or by id. Left empty, the base link's table is used. */
export function tableProperty(displayOptions?: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Table',
		name: 'table',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: 'Leave empty to use the table in the base link (?table=...)',
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchTables', searchable: true },
			},
			{
				displayName: 'By Link',
				name: 'url',
				type: 'string',
				placeholder: 'https://xxx.feishu.cn/base/bascn...?table=tbl...',
				validation: [
					{
						type: 'regex',
						properties: { regex: '.*[?&]table=tbl[A-Za-z0-9]+.*', errorMessage: 'The link has no ?table=tbl...' },
					},
				],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'tblXXXXXXXXXXXXX',
				validation: [
					{ type: 'regex', properties: { regex: 'tbl[A-Za-z0-9]+', errorMessage: 'A table id starts with tbl' } },
				],
			},
		],
	};
}

type Ctx = IExecuteFunctions | ILoadOptionsFunctions;

function locatorValue(ctx: Ctx, name: string, itemIndex: number): string {
	const raw =
		'getInputData' in ctx
			? (ctx as IExecuteFunctions).getNodeParameter(name, itemIndex, '', { extractValue: true })
			: (ctx as ILoadOptionsFunctions).getNodeParameter(name, '', { extractValue: true });
	if (raw && typeof raw === 'object') return String((raw as IDataObject).value ?? '');
	return String(raw ?? '').trim();
}

export interface TableRef {
	appToken: string;
	tableId: string;
	viewId?: string;
}

/** Resolves the Base and Table parameters (a wiki link costs one get_node call). */
export async function resolveTable(ctx: Ctx, session: FeishuSession, itemIndex = 0): Promise<TableRef> {
	const base = await session.resolveBitable(locatorValue(ctx, 'base', itemIndex));
	let tableId = locatorValue(ctx, 'table', itemIndex);
	if (tableId && !/^tbl[A-Za-z0-9]+$/.test(tableId)) {
		const parsed = parseBitableUrl(tableId);
		tableId = parsed.tableId ?? '';
	}
	tableId ||= base.tableId ?? '';
	if (!tableId) {
		throw new FeishuInputError(
			'No table was chosen',
			'Pick the table from the list, or paste a link that contains ?table=tbl...',
		);
	}
	return { appToken: base.appToken, tableId, viewId: base.viewId };
}

/** listSearch: the base's tables, filtered by name. */
export async function searchTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const session = await getFeishuSession(this);
	const base = await session.resolveBitable(locatorValue(this, 'base', 0));
	const tables = await session.listTables(base.appToken);
	const needle = (filter ?? '').toLowerCase();
	return {
		results: tables
			.filter((t) => !needle || t.name.toLowerCase().includes(needle) || t.table_id === filter)
			.map((t) => ({ name: t.name, value: t.table_id })),
	};
}

async function tableFields(ctx: ILoadOptionsFunctions) {
	const session = await getFeishuSession(ctx);
	const ref = await resolveTable(ctx, session);
	return session.listFields(ref.appToken, ref.tableId);
}

/** loadOptions: every field of the table (name as value, type in the description). */
export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await tableFields(this)).map((f) => ({
		name: f.field_name,
		value: f.field_name,
		description: `${typeName(f.type)}${READ_ONLY_TYPES.has(f.type) ? ' (read-only)' : ''}`,
	}));
}

/** loadOptions: fields that can be written. */
export async function getWritableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await tableFields(this))
		.filter((f) => !READ_ONLY_TYPES.has(f.type))
		.map((f) => ({ name: f.field_name, value: f.field_name, description: typeName(f.type) }));
}

const OPERATOR_NAMES: Record<string, string> = {
	contains: 'Contains',
	doesNotContain: 'Does Not Contain',
	is: 'Is',
	isEmpty: 'Is Empty',
	isGreater: 'Is Greater',
	isGreaterEqual: 'Is Greater or Equal',
	isLess: 'Is Less',
	isLessEqual: 'Is Less or Equal',
	isNot: 'Is Not',
	isNotEmpty: 'Is Not Empty',
};

/**
 * loadOptions: the operators Feishu accepts on the condition's field (a date, created or modified time field takes
 * only day comparisons and emptiness: docs/feishu-api.md, "Filters"). Every operator while no field is picked yet.
 */
export async function getFilterOperators(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	let field: string | undefined;
	try {
		field = this.getCurrentNodeParameter('&field') as string | undefined;
	} catch {
		field = undefined;
	}
	const type = field ? (await tableFields(this)).find((f) => f.field_name === field)?.type : undefined;
	return filterOperatorsFor(type)
		.map((op) => ({ name: OPERATOR_NAMES[op] ?? op, value: op }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
