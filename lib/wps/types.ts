/**
 * The WPS 365 contacts v7 objects as the transport hands them on, after the readers in readers.ts
 * (docs/wps-api.md has every field and the page it comes from). Wire names are kept; where WPS
 * answers a field in more than one plausible form, the reader settles it here.
 */

/** Every status a user object may carry. */
export const WPS_USER_STATUSES = ['active', 'notactive', 'disabled', 'dimission'] as const;
export type WpsUserStatus = (typeof WPS_USER_STATUSES)[number];

/**
 * Statuses the filters of batch_read, by_ex_user_ids and the member listings accept (their pages list
 * these three; members take at most three). Only `GET /v7/users` also filters on `dimission`.
 */
export const WPS_FILTER_STATUSES = ['active', 'notactive', 'disabled'] as const satisfies readonly WpsUserStatus[];

export interface WpsLeader {
	user_id: string;
	order: number;
}

export interface WpsDept {
	/** `id` in every read; department create answers it as `dept_id`. */
	id: string;
	/** Defaults to `id` when never set. */
	ex_dept_id: string;
	name: string;
	/** '' for the root (WPS answers "0"). */
	parent_id: string;
	order: number;
	abs_path: string;
	leaders: WpsLeader[];
	ctime?: number;
}

/** A user's department as reads with `with_dept` list it. */
export interface WpsDeptRef {
	id: string;
	name: string;
	abs_path: string;
}

export interface WpsUser {
	id: string;
	/** Defaults to `id` when never set. Absent from member listings' `user_info`: '' there. */
	ex_user_id: string;
	user_name: string;
	status: WpsUserStatus;
	/** '' when the app lacks kso.user_email.read (unreadable, not empty). */
	email: string;
	/** '' when the app lacks kso.user_phone.read. */
	phone: string;
	/** '' when unset ("undefined" on the wire) or when the app lacks kso.user_gender.read. */
	gender: string;
	employee_id: string;
	title: string;
	/** Absent from by_ex_user_ids and member listings: '' there. */
	leader_id: string;
	employment_type: string;
	telephone: string;
	work_place: string;
	def_dept_id: string;
	/** Only when read with departments (`with_dept`); by_ex_user_ids never carries them. */
	depts?: WpsDeptRef[];
	ctime?: number;
}

/** One user in one department, as member listings answer it. */
export interface WpsMembership {
	user_id: string;
	/** '' when a listing answers flat users rather than memberships. */
	dept_id: string;
	order: number;
	is_leader: boolean;
	ctime?: number;
	/** Seconds: the membership's last change (the only modification time the contact pages give). */
	mtime?: number;
	/** `user_info`, when asked for with `with_user_detail`. */
	user?: WpsUser;
}

export interface WpsPage<T> {
	items: T[];
	next_page_token: string;
	total?: number;
}

export interface CreateDeptInput {
	name: string;
	parent_id: string;
	ex_dept_id?: string;
	order?: number;
	leaders?: WpsLeader[];
}

export type UpdateDeptInput = Partial<CreateDeptInput>;

/** Fields create and update take as they come (create-user page). */
export interface UserFields {
	user_name?: string;
	ex_user_id?: string;
	email?: string;
	phone?: string;
	employee_id?: string;
	title?: string;
	leader_id?: string;
	gender?: string;
	employment_type?: string;
	telephone?: string;
	work_place?: string;
	def_dept_id?: string;
}

export interface CreateUserInput extends UserFields {
	user_name: string;
	/** Only create takes departments; afterwards they change through membership calls. */
	dept_ids: string[];
}

export type UpdateUserInput = UserFields;

export interface UserOrder {
	dept_id: string;
	user_id: string;
	order: number;
}
