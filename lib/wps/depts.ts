import { chunk } from '../sync';
import type { WpsClient } from './client';
import { WPS_REASON, type WpsApiError } from './errors';
import { MAX_PAGE_SIZE, readAllPages } from './paging';
import type { CreateDeptInput, DeptDeleteResult, UpdateDeptInput, WpsDept, WpsPage } from './types';

/** Per-call limits of WPS (unverified figures, mirrored by the emulator). */
export const DEPT_BATCH_DELETE_MAX = 50;
export const LOOKUP_MAX = 100;

/** Typed department endpoints of contacts v7. */
export class WpsDepts {
	constructor(private readonly client: WpsClient) {}

	root(): Promise<WpsDept> {
		return this.client.call({ method: 'GET', template: '/v7/depts/root' });
	}

	get(deptId: string): Promise<WpsDept> {
		return this.client.call({ method: 'GET', template: '/v7/depts/{dept_id}', params: { dept_id: deptId } });
	}

	childrenPage(deptId: string, page: { pageToken?: string; pageSize?: number; withTotal?: boolean } = {}): Promise<WpsPage<WpsDept>> {
		return this.client.call({
			method: 'GET',
			template: '/v7/depts/{dept_id}/children',
			params: { dept_id: deptId },
			query: {
				page_size: page.pageSize ?? MAX_PAGE_SIZE,
				page_token: page.pageToken || undefined,
				with_total: page.withTotal || undefined,
			},
		});
	}

	allChildren(deptId: string): Promise<WpsDept[]> {
		return readAllPages('GET /v7/depts/{dept_id}/children', (pageToken) => this.childrenPage(deptId, { pageToken }));
	}

	/** Every department below `deptId` (not itself), parents before children. */
	async subtree(deptId: string): Promise<WpsDept[]> {
		const out: WpsDept[] = [];
		for (let queue = [deptId]; queue.length; ) {
			const next: string[] = [];
			for (const id of queue) {
				const children = await this.allChildren(id);
				out.push(...children);
				next.push(...children.map((c) => c.dept_id));
			}
			queue = next;
		}
		return out;
	}

	/**
	 * Creates a department. With an `ex_dept_id` (and read-before-write on), a resend after a lost
	 * answer first looks the id up, so a create applied before its timeout is not made twice.
	 */
	create(input: CreateDeptInput): Promise<WpsDept> {
		const ex = input.ex_dept_id;
		const idempotent = !!ex && this.client.readBeforeWrite;
		const lookup = async () => (await this.byExIds([ex!]))[0];
		return this.client.call<WpsDept>({
			method: 'POST',
			template: '/v7/depts/create',
			body: input,
			readBeforeResend: idempotent ? lookup : undefined,
			settleAfterResend: idempotent
				? (error: WpsApiError) => (error.is(WPS_REASON.deptExIdTaken) ? lookup() : undefined)
				: undefined,
		});
	}

	/** Rename (`name`), move (`parent_id`), reorder (`order`), relink (`ex_dept_id`), leaders. */
	update(deptId: string, patch: UpdateDeptInput): Promise<WpsDept> {
		return this.client.call({ method: 'POST', template: '/v7/depts/{dept_id}/update', params: { dept_id: deptId }, body: patch });
	}

	/** Refused while anything is inside (`dept_is_not_empty`); "not found" after a lost answer counts as done. */
	async delete(deptId: string): Promise<void> {
		await this.client.call({
			method: 'POST',
			template: '/v7/depts/{dept_id}/delete',
			params: { dept_id: deptId },
			settleAfterResend: (error) => (error.is(WPS_REASON.deptNotFound) ? {} : undefined),
		});
	}

	/**
	 * Deletes in calls of at most 50, in the order given (children before parents), one result per id.
	 * An id already absent counts as deleted (the goal holds; WPS reports out-of-range objects alike).
	 */
	async batchDelete(deptIds: string[]): Promise<DeptDeleteResult[]> {
		const results: DeptDeleteResult[] = [];
		for (const ids of chunk(deptIds, DEPT_BATCH_DELETE_MAX)) {
			const data = await this.client.call<{ items: Omit<DeptDeleteResult, 'ok'>[] }>({
				method: 'POST',
				template: '/v7/depts/batch_delete',
				body: { dept_ids: ids },
			});
			for (const item of data.items ?? []) {
				results.push({ ...item, ok: item.code === 0 || item.msg === WPS_REASON.deptNotFound });
			}
		}
		return results;
	}

	/** Departments by id, 100 per call; unknown or out-of-range ids are simply missing. */
	async batchRead(deptIds: string[]): Promise<WpsDept[]> {
		return this.lookup('/v7/depts/batch_read', 'dept_ids', deptIds);
	}

	async byExIds(exIds: string[]): Promise<WpsDept[]> {
		return this.lookup('/v7/depts/by_ex_dept_ids', 'ex_dept_ids', exIds);
	}

	private async lookup(template: string, field: string, values: string[]): Promise<WpsDept[]> {
		const out: WpsDept[] = [];
		for (const part of chunk([...new Set(values)], LOOKUP_MAX)) {
			const data = await this.client.call<{ items: WpsDept[] }>({ method: 'POST', template, body: { [field]: part } });
			out.push(...(data.items ?? []));
		}
		return out;
	}
}
