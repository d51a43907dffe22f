import type { TargetDept, TargetUser, UserField, UserStatus } from './types';

/**
 * What the sync needs from WPS, in the sync's own shapes. The real one wraps the WPS transport
 * (wpsDirectory.ts); keeping this seam small lets the planner and the apply engine stay plain.
 */
export interface DirectoryClient {
	/** API requests made so far (for the run summary). */
	calls(): number;
	readRoot(rootId: string): Promise<TargetDept>;
	/** Every department below the root (not itself), parents first. */
	readSubtree(rootId: string): Promise<TargetDept[]>;
	/** The direct children of one department. */
	readChildren(deptId: string): Promise<TargetDept[]>;
	/** Every user below the root, of every status the sync manages. */
	readUsersUnder(rootId: string): Promise<TargetUser[]>;
	readDepts(ids: string[]): Promise<TargetDept[]>;
	readUsers(ids: string[]): Promise<TargetUser[]>;
	findDeptsByEx(exIds: string[]): Promise<TargetDept[]>;
	findUsersByEx(exIds: string[]): Promise<TargetUser[]>;
	/** Fields that read back blank for this app (missing read scope). */
	unreadableFields(): Promise<UserField[]>;
	createDept(input: { name: string; parentId: string; exId: string; order?: number }): Promise<string>;
	updateDept(id: string, patch: { name?: string; parentId?: string; order?: number }): Promise<void>;
	/** "Not found" counts as done. */
	deleteDept(id: string): Promise<void>;
	createUser(input: {
		exId: string;
		fields: Partial<Record<UserField, string>>;
		deptIds: string[];
		mainDeptId: string;
		leaderId?: string;
	}): Promise<string>;
	updateUser(
		id: string,
		patch: {
			exId?: string;
			fields?: Partial<Record<UserField, string>>;
			leaderId?: string;
			deptIds?: string[];
			mainDeptId?: string;
		},
	): Promise<void>;
	setEnabled(ids: string[], enabled: boolean): Promise<void>;
	/** "Not found" counts as done. */
	deleteUser(id: string): Promise<void>;
}

/** A WPS refusal as the apply engine reports it. */
export function errorCode(error: unknown): string {
	const e = error as { code?: unknown; msg?: unknown; name?: string };
	if (typeof e?.msg === 'string' && e.msg) return e.code !== undefined ? `${e.code} ${e.msg}` : e.msg;
	return e?.name ?? 'error';
}

export type { UserStatus };
