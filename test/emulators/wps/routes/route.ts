import type { Body } from '../input';
import type { AppView } from '../views';

export interface RouteContext {
	view: AppView;
	params: Record<string, string>;
	query: URLSearchParams;
	body: Body;
	now: number;
}

export interface Route {
	method: 'GET' | 'POST';
	/** Template with `{name}` segments, e.g. `/v7/depts/{dept_id}/children`. */
	path: string;
	/** Writes need kso.contact.readwrite, count as writes, and are what a fault can apply-then-time-out. */
	write: boolean;
	/** Returns the envelope's `data`. */
	handle(ctx: RouteContext): unknown;
}

/** Per-call limits (unverified figures, see index.ts). */
export const BATCH_DELETE_MAX = 50;
export const LOOKUP_MAX = 100;

export const route = (method: Route['method'], path: string, write: boolean, handle: Route['handle']): Route => ({
	method,
	path,
	write,
	handle,
});

/** A write whose answer is `{code, msg}` only: what `apply` returns stays inside the emulator. */
export const command = (path: string, apply: (ctx: RouteContext) => unknown): Route =>
	route('POST', path, true, (ctx) => {
		apply(ctx);
		return undefined;
	});
