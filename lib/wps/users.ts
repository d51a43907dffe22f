import { chunk } from '../resilience';
import type { WpsClient } from './client';
import { LOOKUP_MAX } from './depts';
import { MAX_PAGE_SIZE, readAllPages } from './paging';
import { readItems, readMembership, readPage, readUser } from './readers';
import {
	WPS_FILTER_STATUSES,
	type CreateUserInput,
	type UpdateUserInput,
	type UserOrder,
	type WpsMembership,
	type WpsPage,
	type WpsUser,
	type WpsUserStatus,
} from './types';

export interface UserReadOptions {
	/** Default: every status the client manages that the endpoint's filter accepts (WPS hides the others). */
	statuses?: readonly WpsUserStatus[];
}

export interface MemberPageOptions extends UserReadOptions {
	recursive?: boolean;
	/** Nest each user under `user_info` (it still lacks ex_user_id and leader_id). */
	withUserDetail?: boolean;
	pageToken?: string;
	pageSize?: number;
}

/** Typed user and membership endpoints of contacts v7 (docs/wps-api.md, "Users" and "Memberships"). */
export class WpsUsers {
	constructor(private readonly client: WpsClient) {}

	/** Filters of batch_read, by_ex_user_ids and member listings accept active, notactive and disabled only. */
	private filter(opts?: UserReadOptions): WpsUserStatus[] {
		const wanted = opts?.statuses?.length ? opts.statuses : this.client.statuses;
		const accepted = wanted.filter((s) => (WPS_FILTER_STATUSES as readonly string[]).includes(s));
		return accepted.length ? accepted : [...WPS_FILTER_STATUSES];
	}

	/**
	 * Creates a user; departments are given here and only here. With an `ex_user_id` (and read-before-write
	 * on), a resend after a lost answer first looks the id up in every status, and a resend refused for any
	 * reason is settled by the same lookup ("already exists" decided by a read).
	 */
	async create(input: CreateUserInput): Promise<WpsUser> {
		const ex = input.ex_user_id;
		// Every filterable status: the lost create may already show as notactive (or whatever WPS starts users as).
		const lookup = ex ? async () => (await this.byExIds([ex], { statuses: WPS_FILTER_STATUSES }))[0] : undefined;
		return readUser(await this.client.create('/v7/users/create', input, lookup));
	}

	/** Answers `{code, msg}` only. Never send a field the app cannot read: that is the caller's rule. */
	async update(userId: string, patch: UpdateUserInput): Promise<void> {
		await this.client.update('/v7/users/{user_id}/update', { user_id: userId }, patch);
	}

	/** Hard delete: the user and every membership. A resend refused after a lost answer is settled by reading. */
	async delete(userId: string): Promise<void> {
		await this.client.delete('/v7/users/{user_id}/delete', { user_id: userId }, async () => {
			try {
				await this.get(userId);
				return true;
			} catch (error) {
				if ((error as { notFound?: boolean }).notFound) return false;
				throw error;
			}
		});
	}

	/** Soft delete, idempotent, 100 per call. */
	async disable(userIds: string[]): Promise<void> {
		await this.inBatches('/v7/users/batch_disable', userIds);
	}

	/** Re-hire, idempotent, 100 per call. */
	async enable(userIds: string[]): Promise<void> {
		await this.inBatches('/v7/users/batch_enable', userIds);
	}

	private async inBatches(template: string, userIds: string[]): Promise<void> {
		for (const ids of chunk([...new Set(userIds)], LOOKUP_MAX)) {
			await this.client.call({ method: 'POST', template, body: { user_ids: ids } });
		}
	}

	/** A read by id answers whatever the status. */
	async get(userId: string, opts: { withDept?: boolean } = {}): Promise<WpsUser> {
		const data = await this.client.call({
			method: 'GET',
			template: '/v7/users/{user_id}',
			params: { user_id: userId },
			query: { with_dept: opts.withDept ?? true },
		});
		return readUser(data);
	}

	/** Full users (ex_user_id, leader, `depts` with `withDept`), 100 ids per call. */
	async batchRead(userIds: string[], opts: UserReadOptions & { withDept?: boolean } = {}): Promise<WpsUser[]> {
		const out: WpsUser[] = [];
		for (const part of chunk([...new Set(userIds)], LOOKUP_MAX)) {
			const data = await this.client.call({
				method: 'POST',
				template: '/v7/users/batch_read',
				body: { user_ids: part, status: this.filter(opts), with_dept: opts.withDept ?? true },
			});
			out.push(...readItems(data, readUser));
		}
		return out;
	}

	/**
	 * Users by external id, 100 per call. The page takes `{ex_user_ids, status}` only and answers short users:
	 * no departments, leader or employee id. Follow with batchRead where those matter.
	 */
	async byExIds(exIds: string[], opts?: UserReadOptions): Promise<WpsUser[]> {
		const out: WpsUser[] = [];
		for (const part of chunk([...new Set(exIds)], LOOKUP_MAX)) {
			const data = await this.client.call({
				method: 'POST',
				template: '/v7/users/by_ex_user_ids',
				body: { ex_user_ids: part, status: this.filter(opts) },
			});
			out.push(...readItems(data, readUser));
		}
		return out;
	}

	async membersPage(deptId: string, opts: MemberPageOptions = {}): Promise<WpsPage<WpsMembership> | undefined> {
		const data = await this.client.call({
			method: 'GET',
			template: '/v7/depts/{dept_id}/members',
			params: { dept_id: deptId },
			query: {
				status: this.filter(opts),
				recursive: opts.recursive || undefined,
				with_user_detail: opts.withUserDetail || undefined,
				page_size: opts.pageSize ?? MAX_PAGE_SIZE,
				page_token: opts.pageToken || undefined,
			},
		});
		return readPage(data, readMembership);
	}

	/** Every membership of a department, or of its whole subtree with `recursive` (a user once per department). */
	allMemberships(deptId: string, opts: Omit<MemberPageOptions, 'pageToken'> = {}): Promise<WpsMembership[]> {
		return readAllPages('GET /v7/depts/{dept_id}/members', (pageToken) =>
			this.membersPage(deptId, { ...opts, pageToken }),
		);
	}

	/**
	 * Every user below a department, complete: the member listing gives the ids (50 per page), batch_read
	 * the users with ex_user_id, leader and departments (100 per call), since listings carry neither.
	 */
	async allUsersUnder(deptId: string, opts: UserReadOptions = {}): Promise<WpsUser[]> {
		const ids = [
			...new Set(
				(await this.allMemberships(deptId, { ...opts, recursive: true })).map((m) => m.user_id).filter(Boolean),
			),
		];
		return this.batchRead(ids, { ...opts, withDept: true });
	}

	/** Idempotent. Answers `{code, msg}` only. */
	async addMember(deptId: string, userId: string): Promise<void> {
		await this.client.call({
			method: 'POST',
			template: '/v7/depts/{dept_id}/members/{user_id}/create',
			params: { dept_id: deptId, user_id: userId },
		});
	}

	/** Idempotent; refused when it is the user's last department. */
	async removeMember(deptId: string, userId: string): Promise<void> {
		await this.client.call({
			method: 'POST',
			template: '/v7/depts/{dept_id}/members/{user_id}/delete',
			params: { dept_id: deptId, user_id: userId },
		});
	}

	/** `{user_order_list: [{dept_id, order, user_id}]}` (batch-update-user-order page), 100 per call (unverified). */
	async batchUpdateOrder(items: UserOrder[]): Promise<void> {
		for (const part of chunk(items, LOOKUP_MAX)) {
			await this.client.call({
				method: 'POST',
				template: '/v7/users/batch_update_order',
				body: { user_order_list: part },
			});
		}
	}
}
