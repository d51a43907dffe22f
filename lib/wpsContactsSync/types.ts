/**
 * Shared shapes of the directory sync. Everything here is plain data (JSON-safe), because plans
 * travel between n8n nodes as items and are stored in MySQL.
 */

export const USER_STATUSES = ['active', 'notactive', 'disabled', 'dimission'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** User fields the sync can own, by their WPS names. `leader_id` is handled as a reference. */
export const USER_FIELDS = [
	'user_name',
	'email',
	'phone',
	'employee_id',
	'title',
	'gender',
	'employment_type',
	'telephone',
	'work_place',
] as const;
export type UserField = (typeof USER_FIELDS)[number];

/** Fields that read back empty without their own read scope ("unreadable" is not "empty"). */
export const SCOPED_FIELDS: Partial<Record<UserField, string>> = {
	email: 'kso.user_email.read',
	phone: 'kso.user_phone.read',
	gender: 'kso.user_gender.read',
};

// ---- source (what HR says) ------------------------------------------------------------------

export interface SourceDept {
	id: string;
	/** '' = top level (directly under the sync's scope department). */
	parentId: string;
	name: string;
	order?: number;
	updatedAt?: number;
}

export interface SourceUser {
	id: string;
	name: string;
	deptIds: string[];
	mainDeptId?: string;
	/** Source user id of the leader. */
	leaderId?: string;
	fields: Partial<Record<UserField, string>>;
	updatedAt?: number;
}

export interface Source {
	depts: SourceDept[];
	users: SourceUser[];
	/** Which optional parts the mapping provides (unmapped parts are never written). */
	manages: { order: boolean; leader: boolean; fields: UserField[] };
}

export interface SourceError {
	kind:
		| 'duplicateDeptId'
		| 'duplicateUserId'
		| 'cycle'
		| 'orphan'
		| 'userInUnknownDept'
		| 'mainDeptNotMember'
		| 'unknownLeader'
		| 'siblingNameClash'
		| 'missingValue'
		| 'emptySource'
		| 'nearlyEmptySource'
		| 'idCollision';
	message: string;
	ids: string[];
}

// ---- target (what WPS holds) -----------------------------------------------------------------

export interface TargetDept {
	id: string;
	exId: string;
	name: string;
	/** '' only for the scope root. */
	parentId: string;
	order: number;
	/** WPS's own modification time (ms) where a read reports one ("Newer Wins"); see docs/wps-api.md. */
	mtime?: number;
}

export interface TargetUser {
	id: string;
	exId: string;
	status: UserStatus;
	deptIds: string[];
	mainDeptId: string;
	leaderId: string;
	fields: Partial<Record<UserField, string>>;
	/** WPS's own modification time (ms) where a read reports one ("Newer Wins"); see docs/wps-api.md. */
	mtime?: number;
}

/** The scope root and everything the sync read below it (a full read) or knows of (a snapshot). */
export interface TargetState {
	rootId: string;
	depts: TargetDept[];
	users: TargetUser[];
}

// ---- plan ------------------------------------------------------------------------------------

export const OPERATION_KINDS = [
	'dept.create',
	'dept.rename',
	'dept.move',
	'dept.reorder',
	'dept.delete',
	'user.create',
	'user.update',
	'user.move',
	'user.disable',
	'user.enable',
	'user.delete',
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** External id by which plans name the sync's scope department (its top level hangs below it). */
export const ROOT_EX = '#root';

/** A department by external id; `id` is filled when it existed when the plan was made. */
export interface DeptRef {
	ex: string;
	id?: string;
}

export interface DeptValues {
	name?: string;
	parent?: DeptRef;
	order?: number;
}

export interface UserValues {
	fields?: Partial<Record<UserField, string>>;
	depts?: DeptRef[];
	mainDept?: DeptRef;
	leader?: { ex: string; id?: string } | null;
	status?: UserStatus;
	/** Set on adoption (first-run soft match): the user gets its external id. */
	exId?: string;
}

export interface Operation {
	/** Stable within a plan: `<kind>:<exId>` (+ `:tmp` for a temporary rename). */
	id: string;
	kind: OperationKind;
	object: 'dept' | 'user';
	exId: string;
	/** WPS id when the object existed at plan time. */
	wpsId?: string;
	label: string;
	before: DeptValues | UserValues | null;
	after: DeptValues | UserValues | null;
	dependsOn: string[];
	/** A rename to a free name that breaks a sibling-name swap; a later operation sets the final name. */
	temporary?: boolean;
}

export interface Conflict {
	object: 'dept' | 'user';
	exId: string;
	wpsId: string;
	label: string;
	/** What the sync last wrote, what WPS holds now, what the source wants. */
	lastWritten: unknown;
	target: unknown;
	source: unknown;
	resolution: 'sourceWins' | 'targetWins' | 'manual';
}

export interface Blocked {
	object: 'dept' | 'user';
	exId: string;
	label: string;
	reason: string;
	/** Operations left out because this one could not be planned. */
	skipped: string[];
}

export interface Thresholds {
	/** Deletions + disables above this count stop the run (default 500). */
	maxDeletions: number;
	/** ... or above this share of the managed objects, in percent (0 = off). */
	maxDeletionPercent: number;
	/** Existing objects changed (updated, moved, renamed, reordered, re-enabled) above this count stop the run (undefined = off). */
	maxChanges?: number;
	/** ... or above this share of the managed objects, in percent (0 / undefined = off). */
	maxChangePercent?: number;
}

export interface ThresholdVerdict {
	withinLimits: boolean;
	deletions: number;
	managed: number;
	percent: number;
	/** Existing objects the plan changes without removing them (one per object, however many operations). */
	changes?: number;
	changePercent?: number;
	reason?: string;
}

export interface Plan {
	formatVersion: 1;
	targetKey: string;
	rootId: string;
	mode: 'full' | 'incremental';
	createdAt: number;
	operations: Operation[];
	conflicts: Conflict[];
	blocked: Blocked[];
	/** Fields left alone because the app cannot read them. */
	unreadableFields: UserField[];
	verdict: ThresholdVerdict;
	fingerprint: string;
}
