import { chunk } from '../resilience';
import type { WpsClient } from './client';
import { WPS_CODE, WpsApiError } from './errors';
import { MAX_PAGE_SIZE, readAllPages } from './paging';
import { readDept, readItems, readPage } from './readers';
import type { CreateDeptInput, UpdateDeptInput, WpsDept, WpsPage } from './types';

/** Ids per batch lookup (batch_read, by_ex_*): 100 on the private pages, unverified on the SaaS (docs/wps-api.md). */
export const LOOKUP_MAX = 100;

/** Typed department endpoints of contacts v7 (docs/wps-api.md, "Departments"). */
export class WpsDepts {
	constructor(private readonly client: WpsClient) {}

	async root(): Promise<WpsDept> {
		return readDept(await this.client.call({ method: 'GET', template: '/v7/depts/root' }));
	}

	/** One department by id. No page documents `GET /v7/depts/{id}`, so it is read through batch_read. */
	async get(deptId: string): Promise<WpsDept> {
		const found = (await this.batchRead([deptId])).find((d) => d.id === deptId);
		if (!found) {
			throw new WpsApiError({
				kind: 'api',
				endpoint: 'POST /v7/depts/batch_read',
				code: WPS_CODE.notFound,
				msg: 'not found',
				detail: `department ${deptId} does not exist or is outside the app's data-permission range`,
			});
		}
		return found;
	}

	async childrenPage(
		deptId: string,
		page: { pageToken?: string; pageSize?: number; withTotal?: boolean } = {},
	): Promise<WpsPage<WpsDept> | undefined> {
		const data = await this.client.call({
			method: 'GET',
			template: '/v7/depts/{dept_id}/children',
			params: { dept_id: deptId },
			query: {
				page_size: page.pageSize ?? MAX_PAGE_SIZE,
				page_token: page.pageToken || undefined,
				with_total: page.withTotal || undefined,
			},
		});
		return readPage(data, readDept);
	}

	allChildren(deptId: string): Promise<WpsDept[]> {
		return readAllPages('GET /v7/depts/{dept_id}/children', (pageToken) => this.childrenPage(deptId, { pageToken }));
	}

	/** Every department below `deptId` (not itself), parents before children: one listing per department. */
	async subtree(deptId: string): Promise<WpsDept[]> {
		const out: WpsDept[] = [];
		for (let queue = [deptId]; queue.length; ) {
			const next: string[] = [];
			for (const id of queue) {
				const children = await this.allChildren(id);
				out.push(...children);
				next.push(...children.map((c) => c.id));
			}
			queue = next;
		}
		return out;
	}

	/**
	 * Creates a department (the answer's `dept_id` becomes `id`). With an `ex_dept_id` (and read-before-write
	 * on), a resend after a lost answer first looks the id up, and a resend refused for any reason is
	 * settled by the same lookup: "already exists" is decided by a read, never by WPS's message.
	 */
	async create(input: CreateDeptInput): Promise<WpsDept> {
		const ex = input.ex_dept_id;
		const lookup = ex ? async () => (await this.byExIds([ex]))[0] : undefined;
		return readDept(await this.client.create('/v7/depts/create', input, lookup));
	}

	/** Rename (`name`), move (`parent_id`), reorder (`order`), relink (`ex_dept_id`), leaders. Answers `{code, msg}` only. */
	async update(deptId: string, patch: UpdateDeptInput): Promise<void> {
		await this.client.update('/v7/depts/{dept_id}/update', { dept_id: deptId }, patch);
	}

	/** Refused while anything is inside. A resend refused after a lost answer is settled by reading: gone counts as done. */
	async delete(deptId: string): Promise<void> {
		await this.client.delete('/v7/depts/{dept_id}/delete', { dept_id: deptId }, async () =>
			(await this.batchRead([deptId])).some((d) => d.id === deptId),
		);
	}

	/** Departments by id, 100 per call; unknown or out-of-range ids are simply missing. */
	batchRead(deptIds: string[]): Promise<WpsDept[]> {
		return this.lookup('/v7/depts/batch_read', 'dept_ids', deptIds);
	}

	byExIds(exIds: string[]): Promise<WpsDept[]> {
		return this.lookup('/v7/depts/by_ex_dept_ids', 'ex_dept_ids', exIds);
	}

	private async lookup(template: string, field: string, values: string[]): Promise<WpsDept[]> {
		const out: WpsDept[] = [];
		for (const part of chunk([...new Set(values)], LOOKUP_MAX)) {
			out.push(...readItems(await this.client.call({ method: 'POST', template, body: { [field]: part } }), readDept));
		}
		return out;
	}
}
