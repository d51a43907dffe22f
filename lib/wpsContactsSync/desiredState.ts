import type { UserField, UserStatus } from './types';

/**
 * What WPS should look like for the objects the sync manages, in WPS terms (external ids).
 * The source path (desiredFromSource) and the reverse plan (restore a snapshot) both produce it;
 * one planner turns it into ordered operations.
 */
export interface DesiredDept {
	ex: string;
	name: string;
	/** External id of the parent; ROOT_EX for top level. */
	parentEx: string;
	/** undefined: order is not managed. */
	order?: number;
}

export interface DesiredUser {
	ex: string;
	status: 'active' | 'disabled';
	/** Managed fields only (a field absent here is never written). */
	fields: Partial<Record<UserField, string>>;
	/** External ids of the departments; undefined keeps the current ones (a leaver). */
	depts?: string[];
	mainDept?: string;
	/** undefined: not managed; null: no leader. */
	leaderEx?: string | null;
	/** WPS id of an existing account to link (first-run adoption by email / phone / employee id). */
	adoptId?: string;
}

export interface DesiredState {
	depts: DesiredDept[];
	users: DesiredUser[];
	/** Owned departments / users to remove (external ids). */
	deleteDepts: string[];
	deleteUsers: string[];
	/**
	 * Memberships in departments the sync does not manage are kept (source path); the reverse
	 * plan restores whole membership lists instead.
	 */
	keepUnmanagedMemberships: boolean;
	/** Departments that are managed although neither desired nor deleted here (their members stay untouched otherwise). */
	managedDeptExs?: string[];
}

export type DesiredStatus = UserStatus;
