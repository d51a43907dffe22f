export const ALL_SCOPES = [
	'kso.contact.read',
	'kso.contact.readwrite',
	'kso.user_email.read',
	'kso.user_phone.read',
	'kso.user_gender.read',
] as const;

/**
 * Status filters: batch_read, by_ex_user_ids and the member listings document only these three
 * (members' batch_read at most 3 values); only `GET /v7/users` also takes `dimission`.
 */
export const FILTER_STATUSES = ['active', 'notactive', 'disabled'] as const;
/** Every user status: the filterable ones and `dimission` (resigned). */
export const USER_STATUSES = [...FILTER_STATUSES, 'dimission'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface Dept {
	dept_id: string;
	/** null: never set, reads back as the department's own id. */
	ex_dept_id: string | null;
	name: string;
	parent_id: string | null;
	order: number;
	leaders: string[];
	ctime: number;
	seq: number;
}

export interface User {
	user_id: string;
	ex_user_id: string | null;
	user_name: string;
	status: UserStatus;
	dept_ids: string[];
	def_dept_id: string;
	email: string;
	phone: string;
	employee_id: string;
	title: string;
	leader_id: string;
	gender: string;
	employment_type: string;
	telephone: string;
	work_place: string;
	ctime: number;
	/** Seconds; bumped by every change to the user or one of its memberships (a membership's `mtime`). */
	mtime: number;
	seq: number;
}

/** Optional text fields of a user, empty until set (seeding and the create route start from this). */
export const BLANK_USER_FIELDS = {
	email: '',
	phone: '',
	employee_id: '',
	title: '',
	leader_id: '',
	gender: '',
	employment_type: '',
	telephone: '',
	work_place: '',
};

/** Plain string fields of a user that create/update copy as they come. */
export const USER_TEXT_FIELDS = [
	'user_name',
	'email',
	'phone',
	'employee_id',
	'title',
	'leader_id',
	'gender',
	'employment_type',
	'telephone',
	'work_place',
] as const;

export interface TenantLimits {
	seatLimit: number;
	/** Levels below the root (a root child is level 1). */
	maxDepth: number;
	maxDeptsPerUser: number;
	newUserStatus: UserStatus;
	/**
	 * Item shape of `GET /v7/depts/{id}/members` (unverified: the SaaS page is not stored; a private
	 * deployment's page shows memberships): 'membership' answers `{user_id, dept_id, ..., user_info}`,
	 * one item per membership; 'user' answers flat users keyed `id`.
	 */
	memberListing: 'membership' | 'user';
	/** `POST /v7/depts/batch_delete` exists only on private deployments >= v7.0.2411a. */
	privateBatchDelete: boolean;
}

export interface App {
	clientId: string;
	clientSecret: string;
	signing: boolean;
	scopes: Set<string>;
	/** Department ids whose subtrees the app sees; null = the whole tenant. */
	dataRange: Set<string> | null;
	tenantId: string;
}
