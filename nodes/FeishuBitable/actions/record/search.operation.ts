import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { FeishuInputError } from '../../../../lib/feishu/errors';
import { buildConditions, type ConditionInput } from '../../../../lib/feishu/filter';
import { shrinkingPages } from '../../../../lib/feishu/paging';
import { filterConditionsProperty } from '../../../shared/feishu/filter';
import { checkedNumber } from '../../../shared/parameters';
import { reading } from '../../helpers/perItem';
import type { RecordContext } from '../../helpers/recordContext';
import { recordShow, simplifyProperty } from './common.descriptions';
import { limitProperty } from '../../../shared/descriptions';

const show = recordShow('search');

export const description: INodeProperties[] = [
	{
		displayName: 'Filter',
		name: 'filterType',
		type: 'options',
		default: 'none',
		displayOptions: { show },
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Build Conditions', value: 'builder' },
			{
				name: 'Filter JSON',
				value: 'json',
				description: 'Feishu\'s filter object: {"conjunction":"and","conditions":[...]}',
			},
		],
	},
	{
		displayName: 'Match',
		name: 'conjunction',
		type: 'options',
		default: 'and',
		displayOptions: { show: { ...show, filterType: ['builder'] } },
		options: [
			{ name: 'All Conditions', value: 'and' },
			{ name: 'Any Condition', value: 'or' },
		],
	},
	filterConditionsProperty({ show: { ...show, filterType: ['builder'] } }),
	{
		displayName: 'Filter JSON',
		name: 'filterJson',
		type: 'json',
		default: '{\n  "conjunction": "and",\n  "conditions": []\n}',
		displayOptions: { show: { ...show, filterType: ['json'] } },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	limitProperty({ show: { ...show, returnAll: [false] } }),
	simplifyProperty('search'),
];

const param = <T>(rc: RecordContext, name: string, i: number, fallback?: T): T =>
	rc.ctx.getNodeParameter(name, i, fallback) as T;

/** The filter builder's conditions -> Feishu's filter (dates given as a day). */
async function filterOf(rc: RecordContext, i: number): Promise<IDataObject | undefined> {
	const type = param<string>(rc, 'filterType', i, 'none');
	if (type === 'none') return undefined;
	if (type === 'json') {
		const raw = param<unknown>(rc, 'filterJson', i, '{}');
		try {
			return (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject;
		} catch (error) {
			throw new FeishuInputError(`The filter JSON is not valid JSON: ${(error as Error).message}`);
		}
	}
	const ref = await rc.table(i);
	const fields = new Map((await rc.fieldsOf(ref)).map((f) => [f.field_name, f]));
	// Feishu counts filter days in the base's time zone, which may differ from the credential's
	const baseZone = (await rc.session.baseInfo(ref.appToken)).timeZone ?? rc.timeZone;
	const conditions = buildConditions(
		param<ConditionInput[]>(rc, 'conditions.condition', i, []),
		fields,
		rc.timeZone,
		baseZone,
	);
	return { conjunction: param(rc, 'conjunction', i, 'and'), conditions };
}

export const execute = reading(async (rc, i) => {
	const returnAll = param(rc, 'returnAll', i, false);
	const limit = returnAll
		? 0
		: checkedNumber(rc.ctx.getNode(), param(rc, 'limit', i, 50), i, { label: 'Limit', min: 1, integer: true }, 50);
	const ref = await rc.table(i);
	const filter = await filterOf(rc, i);
	const body: IDataObject = filter ? { filter } : {};
	const simplify = param(rc, 'simplify', i, true);
	const records: { record_id: string; fields: Record<string, unknown> }[] = [];
	let pageToken: string | undefined;
	// 1254030 halves the page size and the read goes on; pages are no snapshot, so a record is kept once
	const next = shrinkingPages(500, (size, token) =>
		rc.session.searchPage(
			ref.appToken,
			ref.tableId,
			body,
			returnAll ? size : Math.min(size, Math.max(1, limit - records.length)),
			token,
		),
	);
	const seen = new Set<string>();
	do {
		const page = await next(pageToken);
		for (const r of page.items) {
			if (seen.has(r.record_id)) continue;
			seen.add(r.record_id);
			records.push(r);
		}
		pageToken = page.has_more ? page.page_token : undefined;
	} while (pageToken && (returnAll || records.length < limit));
	const out: IDataObject[] = [];
	for (const r of returnAll ? records : records.slice(0, limit))
		out.push({ record_id: r.record_id, fields: await rc.present(ref, r.fields, simplify) });
	return out;
});
