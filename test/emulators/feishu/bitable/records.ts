/** Record routes: create / update / delete one, batch create / update / delete / get, get one. */
import { E } from '../errors';
import { route, type Ctx, type Route } from '../http/route';
import { appOpenId } from '../state';
import { tableFor, userIdType } from './access';
import { recordItem } from './recordView';
import { echoForm, type ReadCtx } from './values';
import { createRecords, deleteRecords, updateRecords, type WriteOpts } from './writes';

export const MAX_BATCH_WRITE = 1000;
export const MAX_BATCH_DELETE = 500;
export const MAX_BATCH_GET = 100;

const RECORDS = '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records';

function opts(ctx: Ctx): WriteOpts {
	return { actor: appOpenId(ctx.appId), userIdType: userIdType(ctx), appId: ctx.appId };
}

function readCtx(ctx: Ctx): ReadCtx {
	const { base } = tableFor(ctx);
	return { state: ctx.state, base, userIdType: userIdType(ctx), baseUrl: ctx.baseUrl, appId: ctx.appId };
}

/** Writes answer with the fields as the client sent them (the write form), not the read form. */
function echo(recordId: string, fields: unknown): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries((fields ?? {}) as Record<string, unknown>)) out[k] = echoForm(v);
	return { record_id: recordId, id: recordId, fields: out };
}

function list(body: unknown, key: string, max: number): unknown[] {
	const items = (body as Record<string, unknown> | undefined)?.[key];
	if (!Array.isArray(items) || items.length === 0) throw E.wrongRequestBody(`${key} must be a non-empty array`);
	if (items.length > max) throw E.tooManyRecords(max);
	return items;
}

export const recordRoutes: Route[] = [
	route('POST', RECORDS, 'bitable.records.create', 'json', (ctx) => {
		const { base, table } = tableFor(ctx);
		const [rec] = createRecords(ctx.state, base, table, [ctx.body?.fields], opts(ctx));
		ctx.state.counters.recordsCreated++;
		return { record: echo(rec.record_id, ctx.body.fields) };
	}),
	route('PUT', `${RECORDS}/:record_id`, 'bitable.records.update', 'json', (ctx) => {
		const { base, table } = tableFor(ctx);
		updateRecords(ctx.state, base, table, [{ record_id: ctx.params.record_id, fields: ctx.body?.fields }], opts(ctx));
		ctx.state.counters.recordsUpdated++;
		return { record: echo(ctx.params.record_id, ctx.body.fields) };
	}),
	route('DELETE', `${RECORDS}/:record_id`, 'bitable.records.delete', 'none', (ctx) => {
		const { base, table } = tableFor(ctx);
		deleteRecords(base, table, [ctx.params.record_id], ctx.state);
		ctx.state.counters.recordsDeleted++;
		return { deleted: true, record_id: ctx.params.record_id };
	}),
	route('GET', `${RECORDS}/:record_id`, 'bitable.records.get', 'none', (ctx) => {
		const { table } = tableFor(ctx);
		const rec = table.records.get(ctx.params.record_id);
		if (!rec) throw E.recordNotFound(ctx.params.record_id);
		const automatic = ctx.query.get('automatic_fields') === 'true';
		return { record: { ...recordItem(rec, table, readCtx(ctx), undefined, automatic), id: rec.record_id } };
	}),
	route('POST', `${RECORDS}/batch_create`, 'bitable.records.batch_create', 'json', (ctx) => {
		const { base, table } = tableFor(ctx);
		const items = list(ctx.body, 'records', MAX_BATCH_WRITE) as { fields?: unknown }[];
		const recs = createRecords(
			ctx.state,
			base,
			table,
			items.map((r) => r?.fields),
			opts(ctx),
		);
		ctx.state.counters.recordsCreated += recs.length;
		return { records: recs.map((rec, i) => echo(rec.record_id, items[i].fields)) };
	}),
	route('POST', `${RECORDS}/batch_update`, 'bitable.records.batch_update', 'json', (ctx) => {
		const { base, table } = tableFor(ctx);
		const items = list(ctx.body, 'records', MAX_BATCH_WRITE) as { record_id: unknown; fields: unknown }[];
		updateRecords(
			ctx.state,
			base,
			table,
			items.map((r) => ({ record_id: r?.record_id, fields: r?.fields })),
			opts(ctx),
		);
		ctx.state.counters.recordsUpdated += items.length;
		return { records: items.map((r) => echo(String(r.record_id), r.fields)) };
	}),
	route('POST', `${RECORDS}/batch_delete`, 'bitable.records.batch_delete', 'json', (ctx) => {
		const { base, table } = tableFor(ctx);
		const ids = list(ctx.body, 'records', MAX_BATCH_DELETE);
		deleteRecords(base, table, ids, ctx.state);
		ctx.state.counters.recordsDeleted += ids.length;
		return { records: ids.map((id) => ({ deleted: true, record_id: id })) };
	}),
	route('POST', `${RECORDS}/batch_get`, 'bitable.records.batch_get', 'json', (ctx) => {
		const { table } = tableFor(ctx);
		const ids = ctx.body?.record_ids;
		if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BATCH_GET) {
			throw E.wrongRequestBody(`record_ids must hold 1..${MAX_BATCH_GET} ids`);
		}
		const rctx = { ...readCtx(ctx), userIdType: ctx.body.user_id_type ?? userIdType(ctx) };
		const records: unknown[] = [];
		const absent: string[] = [];
		for (const id of ids as string[]) {
			const rec = table.records.get(id);
			if (rec) records.push(recordItem(rec, table, rctx, undefined, ctx.body.automatic_fields === true));
			else absent.push(id);
		}
		return { records, absent_record_ids: absent, forbidden_record_ids: [] };
	}),
];
