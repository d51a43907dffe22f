/** Resolving a base / table from the path, with Feishu's order of checks (base, permission, table). */
import { E } from '../errors';
import type { Ctx } from '../http/route';
import type { Base, Table } from './model';

export function baseFor(ctx: Ctx): Base {
	const base = ctx.state.bases.get(ctx.params.app_token);
	if (!base) throw E.baseNotFound();
	if (!base.apps.has(ctx.appId)) throw E.forbidden();
	return base;
}

export function tableFor(ctx: Ctx): { base: Base; table: Table } {
	const base = baseFor(ctx);
	const table = base.tables.get(ctx.params.table_id);
	if (!table) throw E.tableNotFound();
	return { base, table };
}

export function userIdType(ctx: Ctx): string {
	const t = ctx.query.get('user_id_type') ?? 'open_id';
	if (!['open_id', 'union_id', 'user_id'].includes(t)) throw E.wrongRequestBody(`user_id_type ${t}`);
	return t;
}

/** Offset paging for small lists (tables, fields): the token is the offset, opaque to clients. */
export function pageSlice<T>(items: T[], ctx: Ctx, maxSize: number, defaultSize: number) {
	const size = pageSize(ctx, maxSize, defaultSize);
	const token = ctx.query.get('page_token');
	let offset = 0;
	if (token) {
		const m = /^po_(\d+)$/.exec(token);
		if (!m || Number(m[1]) > items.length) throw E.badPageToken();
		offset = Number(m[1]);
	}
	const page = items.slice(offset, offset + size);
	const has_more = offset + size < items.length;
	return { items: page, has_more, page_token: has_more ? `po_${offset + size}` : undefined, total: items.length };
}

export function pageSize(ctx: Ctx, maxSize: number, defaultSize: number): number {
	const raw = ctx.query.get('page_size');
	if (raw === null || raw === '') return defaultSize;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > maxSize) throw E.badPageSize();
	return n;
}
