/**
 * Record operations: create, get, search, update, delete (by record id or by key). One call per item, in two
 * passes: every item is read and checked first (table, field values, target records), and only then are the
 * writes sent, so a bad item stops the run before anything is written.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { FeishuInputError } from '../../../../lib/feishu/errors';
import { buildConditions, type ConditionInput } from '../../../../lib/feishu/filter';
import { shrinkingPages } from '../../../../lib/feishu/paging';
import { failedItem } from '../../../shared/failedItem';
import { checkedNumber } from '../../../shared/parameters';
import type { RecordContext } from './context';

type Op = (rc: RecordContext, i: number) => Promise<IDataObject | IDataObject[]>;
/** Checks an item and returns its write, to run once every item has passed. */
type Prepare = (rc: RecordContext, i: number) => Promise<() => Promise<IDataObject | IDataObject[]>>;

const param = <T>(rc: RecordContext, name: string, i: number, fallback?: T): T =>
	rc.ctx.getNodeParameter(name, i, fallback) as T;

async function targetIds(rc: RecordContext, i: number): Promise<string[]> {
	const ref = await rc.table(i);
	if (param<string>(rc, 'recordBy', i, 'id') === 'key')
		return rc.idsByKey(ref, param<string>(rc, 'keyField', i), param(rc, 'keyValue', i));
	const id = String(param(rc, 'recordId', i, '')).trim();
	if (!id) throw new FeishuInputError('No record ID was given');
	return [id];
}

export const create: Prepare = async (rc, i) => {
	const ref = await rc.table(i);
	const fields = await rc.writeFields(ref, i);
	return async () => {
		const record = await rc.session.createRecord(ref.appToken, ref.tableId, fields);
		return {
			record_id: record.record_id,
			fields: await rc.present(ref, record.fields ?? fields, param(rc, 'simplify', i, true)),
		};
	};
};

export const get: Op = async (rc, i) => {
	const ref = await rc.table(i);
	const record = await rc.session.getRecord(ref.appToken, ref.tableId, String(param(rc, 'recordId', i, '')).trim());
	return { record_id: record.record_id, fields: await rc.present(ref, record.fields, param(rc, 'simplify', i, true)) };
};

export const update: Prepare = async (rc, i) => {
	const ref = await rc.table(i);
	const ids = await targetIds(rc, i);
	if (!ids.length)
		throw new FeishuInputError(
			'No record has this key value',
			'Check the key field and value, or use Create / Sync for new records.',
		);
	const fields = await rc.writeFields(ref, i);
	return async () => {
		const out: IDataObject[] = [];
		for (const id of ids) {
			const record = await rc.session.updateRecord(ref.appToken, ref.tableId, id, fields);
			out.push({
				record_id: id,
				fields: await rc.present(ref, record.fields ?? fields, param(rc, 'simplify', i, true)),
			});
		}
		return out;
	};
};

export const remove: Prepare = async (rc, i) => {
	const ref = await rc.table(i);
	const ids = await targetIds(rc, i);
	return async () => {
		if (ids.length > 1) await rc.session.batchDeleteRecords(ref.appToken, ref.tableId, ids, { ignoreMissing: true });
		else if (ids.length === 1) await rc.session.deleteRecord(ref.appToken, ref.tableId, ids[0]);
		return ids.length
			? ids.map((record_id) => ({ record_id, deleted: true }))
			: [{ deleted: false, reason: 'no record has this key value' }];
	};
};

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

export const search: Op = async (rc, i) => {
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
};

/** Reads run in the second pass too (nothing to guard). */
export const reading =
	(op: Op): Prepare =>
	async (rc, i) =>
	() =>
		op(rc, i);

export const RECORD_OPERATIONS: Record<string, Prepare> = {
	create,
	get: reading(get),
	search: reading(search),
	update,
	delete: remove,
};

/**
 * First pass: every item checked. A bad item stops the run before any write (or, under "Continue On Fail",
 * becomes a failed item while the good ones go on). Second pass: the writes, item by item.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	rc: RecordContext,
	op: Prepare,
	toError: (e: unknown, i: number) => Error,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const failed = (error: unknown, i: number): INodeExecutionData => {
		const nodeError = toError(error, i);
		if (!ctx.continueOnFail()) throw nodeError;
		return failedItem(ctx.getNode(), nodeError, i);
	};
	const prepared: (Awaited<ReturnType<Prepare>> | INodeExecutionData)[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			prepared.push(await op(rc, i));
		} catch (error) {
			prepared.push(failed(error, i));
		}
	}
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const write = prepared[i];
		if (typeof write !== 'function') {
			out.push(write);
			continue;
		}
		try {
			const result = await write();
			for (const json of Array.isArray(result) ? result : [result]) out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			out.push(failed(error, i));
		}
	}
	return [out];
}
