import { chunk } from '../sync';
import type { WpsClient } from './client';
import { WPS_CODE, WPS_REASON, WpsApiError } from './errors';
import { LOOKUP_MAX } from './depts';
import { MAX_PAGE_SIZE, readAllPages } from './paging';
import {
	WPS_USER_STATUSES,
	type CreateUserInput,
	type DeptAssignment,
	type UpdateUserInput,
	type WpsMemberRef,
	type WpsPage,
	type WpsUser,
	type WpsUserStatus,
} from './types';

export interface UserReadOptions {
	/** Default: every status the client manages (WPS hides the statuses not asked for). */
	statuses?: readonly WpsUserStatus[];
	/** Include dept_ids / def_dept_id (default true). */
	withDept?: boolean;
}

export interface MemberPageOptions extends UserReadOptions {
	recursive?: boolean;
	pageToken?: string;
	pageSize?: number;
}

/** Typed user and membership endpoints of contacts v7. */
export class WpsUsers {
	constructor(private readonly client: WpsClient) {}

	private statuses(opts?: UserReadOptions): readonly WpsUserStatus[] {
		return opts?.statuses?.length ? opts.statuses : this.client.statuses;
	}

	/**
	 * Creates a user. With an `ex_user_id` (and read-before-write on), a resend after a lost answer
	 * first looks the id up in every status, so a create applied before its timeout is not made twice.
	 */
	create(input: CreateUserInput): Promise<WpsUser> {
		const ex = input.ex_user_id;
		const idempotent = !!ex && this.client.readBeforeWrite;
		// Every status: the lost create may already show as notactive (or whatever WPS starts users as).
		const lookup = async () => (await this.byExIds([ex!], { statuses: WPS_USER_STATUSES }))[0];
		return this.client.call<WpsUser>({
			method: 'POST',
			template: '/v7/users/create',
			body: input,
			readBeforeResend: idempotent ? lookup : undefined,
			settleAfterResend: idempotent
				? (error: WpsApiError) => (error.is(WPS_REASON.userExIdTaken) ? lookup() : undefined)
				: undefined,
		});
	}

	/** Never send a field the app could not read (scope-blanked email/phone/gender): that is the caller's rule. */
	update(userId: string, patch: UpdateUserInput): Promise<WpsUser> {
		return this.client.call({ method: 'POST', template: '/v7/users/{user_id}/update', params: { user_id: userId }, body: patch });
	}

	/** Hard delete: the user and every membership. "Not found" after a lost answer counts as done. */
	async delete(userId: string): Promise<void> {
		await this.client.call({
			method: 'POST',
			template: '/v7/users/{user_id}/delete',
			params: { user_id: userId },
			settleAfterResend: (error) => (error.is(WPS_REASON.userNotFound) ? {} : undefined),
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
	get(userId: string, opts: { withDept?: boolean } = {}): Promise<WpsUser> {
		return this.client.call({
			method: 'GET',
			template: '/v7/users/{user_id}',
			params: { user_id: userId },
			query: { with_dept: opts.withDept ?? true },
		});
	}

	batchRead(userIds: string[], opts?: UserReadOptions): Promise<WpsUser[]> {
		return this.lookup('/v7/users/batch_read', 'user_ids', userIds, opts);
	}

	byExIds(exIds: string[], opts?: UserReadOptions): Promise<WpsUser[]> {
		return this.lookup('/v7/users/by_ex_user_ids', 'ex_user_ids', exIds, opts);
	}

	/** Needs kso.user_email.read (403000001 otherwise). */
	byEmails(emails: string[], opts?: UserReadOptions): Promise<WpsUser[]> {
		return this.lookup('/v7/users/by_emails', 'emails', emails, opts);
	}

	/** Needs kso.user_phone.read (403000001 otherwise). */
	byPhones(phones: string[], opts?: UserReadOptions): Promise<WpsUser[]> {
		return this.lookup('/v7/users/by_phones', 'phones', phones, opts);
	}

	private async lookup(template: string, field: string, values: string[], opts?: UserReadOptions): Promise<WpsUser[]> {
		const out: WpsUser[] = [];
		for (const part of chunk([...new Set(values)], LOOKUP_MAX)) {
			const data = await this.client.call<{ items: WpsUser[] }>({
				method: 'POST',
				template,
				body: { [field]: part, status: this.statuses(opts), with_dept: opts?.withDept ?? true },
			});
			out.push(...(data.items ?? []));
		}
		return out;
	}

	membersPage(deptId: string, opts: MemberPageOptions = {}): Promise<WpsPage<WpsUser>> {
		return this.client.call({
			method: 'GET',
			template: '/v7/depts/{dept_id}/members',
			params: { dept_id: deptId },
			query: {
				status: this.statuses(opts),
				recursive: opts.recursive || undefined,
				with_user_detail: true,
				with_dept: opts.withDept ?? true,
				page_size: opts.pageSize ?? MAX_PAGE_SIZE,
				page_token: opts.pageToken || undefined,
			},
		});
	}

	/** Every member (with details) of a department, or of its whole subtree with `recursive`. */
	allMembers(deptId: string, opts: Omit<MemberPageOptions, 'pageToken'> = {}): Promise<WpsUser[]> {
		return readAllPages('GET /v7/depts/{dept_id}/members', (pageToken) => this.membersPage(deptId, { ...opts, pageToken }));
	}

	/** Member ids and statuses only (cheaper answers). */
	allMemberRefs(deptId: string, opts: Omit<MemberPageOptions, 'pageToken' | 'withDept'> = {}): Promise<WpsMemberRef[]> {
		return readAllPages('GET /v7/depts/{dept_id}/members', (pageToken) =>
			this.client.call<WpsPage<WpsMemberRef>>({
				method: 'GET',
				template: '/v7/depts/{dept_id}/members',
				params: { dept_id: deptId },
				query: { status: this.statuses(opts), recursive: opts.recursive || undefined, page_size: MAX_PAGE_SIZE, page_token: pageToken || undefined },
			}),
		);
	}

	/** Every user of the tenant the app can see. */
	all(opts: UserReadOptions = {}): Promise<WpsUser[]> {
		return readAllPages('GET /v7/users', (pageToken) =>
			this.client.call<WpsPage<WpsUser>>({
				method: 'GET',
				template: '/v7/users',
				query: { status: this.statuses(opts), with_dept: opts.withDept ?? true, page_size: MAX_PAGE_SIZE, page_token: pageToken || undefined },
			}),
		);
	}

	/** Idempotent. */
	async addMember(deptId: string, userId: string): Promise<void> {
		await this.client.call({
			method: 'POST',
			template: '/v7/depts/{dept_id}/members/{user_id}/create',
			params: { dept_id: deptId, user_id: userId },
		});
	}

	/** Idempotent; refused when it is the user's last department (`user_dept_required`). */
	async removeMember(deptId: string, userId: string): Promise<void> {
		await this.client.call({
			method: 'POST',
			template: '/v7/depts/{dept_id}/members/{user_id}/delete',
			params: { dept_id: deptId, user_id: userId },
		});
	}

	/** Sets users' department sets (a move), 100 per call; departments outside the app's range are kept by WPS. */
	async batchUpdateDept(items: DeptAssignment[]): Promise<void> {
		for (const part of chunk(items, LOOKUP_MAX)) {
			await this.client.call({ method: 'POST', template: '/v7/users/batch_update_dept', body: { items: part } });
		}
	}

	async batchUpdateOrder(deptId: string, items: { user_id: string; order: number }[]): Promise<void> {
		for (const part of chunk(items, LOOKUP_MAX)) {
			await this.client.call({ method: 'POST', template: '/v7/users/batch_update_order', body: { dept_id: deptId, items: part } });
		}
	}

	/**
	 * Which personal fields this app can read. Without the scope WPS answers them empty, which must
	 * not be mistaken for "empty": a sync never writes a field it could not read. Gender has no
	 * probe endpoint, so it is reported unknown.
	 */
	async probeReadableFields(): Promise<{ email: boolean; phone: boolean; gender: 'unknown' }> {
		const readable = async (read: () => Promise<unknown>) => {
			try {
				await read();
				return true;
			} catch (error) {
				if (error instanceof WpsApiError && error.code === WPS_CODE.noPermission) return false;
				throw error;
			}
		};
		return {
			email: await readable(() => this.byEmails(['probe@invalid.example'], { statuses: ['active'] })),
			phone: await readable(() => this.byPhones(['+0000000000'], { statuses: ['active'] })),
			gender: 'unknown',
		};
	}
}
