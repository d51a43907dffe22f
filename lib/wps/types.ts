/** Shapes of the WPS 365 contacts v7 API as the transport returns them. */

export const WPS_USER_STATUSES = ['active', 'notactive', 'disabled', 'dimission'] as const;
export type WpsUserStatus = (typeof WPS_USER_STATUSES)[number];

export interface WpsDept {
	dept_id: string;
	/** Defaults to `dept_id` when never set. */
	ex_dept_id: string;
	name: string;
	/** '' for the root. */
	parent_id: string;
	order: number;
	abs_path: string;
	leaders?: { user_id: string }[];
	ctime?: number;
}

export interface WpsUser {
	user_id: string;
	ex_user_id: string;
	user_name: string;
	status: WpsUserStatus;
	/** '' when the app lacks kso.user_email.read (unreadable, not empty). */
	email: string;
	/** '' when the app lacks kso.user_phone.read. */
	phone: string;
	/** '' when the app lacks kso.user_gender.read. */
	gender: string;
	employee_id: string;
	title: string;
	leader_id: string;
	employment_type?: string;
	telephone?: string;
	work_place?: string;
	/** Present when read `with_dept`. */
	dept_ids?: string[];
	def_dept_id?: string;
	ctime?: number;
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
	leaders?: string[];
}

export type UpdateDeptInput = Partial<CreateDeptInput>;

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
	dept_ids: string[];
}

export interface UpdateUserInput extends UserFields {
	dept_ids?: string[];
}

export interface DeptAssignment {
	user_id: string;
	dept_ids: string[];
	def_dept_id?: string;
}

export interface DeptDeleteResult {
	dept_id: string;
	/** Deleted now, or already gone after an earlier attempt whose answer was lost. */
	ok: boolean;
	code: number;
	msg: string;
	detail?: string;
}

/** Member entry without `with_user_detail`. */
export interface WpsMemberRef {
	user_id: string;
	status: WpsUserStatus;
}
