/**
 * Access check: can the app read and write a table, add fields, and does the base use advanced permissions?
 * Two calls for a base (app get, permission auth "edit"), one more for a table (its field list).
 * Each answer carries what to do about it (docs/feishu-api.md, "Access check").
 */
import { FeishuApiError } from './errors';
import type { FieldMeta } from './values/types';

export interface AccessClient {
	baseInfo(appToken: string, options: { fresh?: boolean }): Promise<{ isAdvanced: boolean }>;
	permissionAuth(appToken: string, action: 'view' | 'edit'): Promise<boolean>;
	listFields(appToken: string, tableId: string): Promise<FieldMeta[]>;
}

export type Answer = 'yes' | 'no' | 'unknown';

export interface AccessCheck {
	check: 'appAdded' | 'canRead' | 'canWrite' | 'canCreateFields' | 'advancedPermissions';
	answer: Answer;
	detail: string;
	/** What to do when the answer stands in the way (absent when nothing needs doing). */
	whatToDo?: string;
}

export interface AccessReport {
	/** The app can read and write the table (or the base, when no table was given). */
	ok: boolean;
	appAdded: Answer;
	canRead: Answer;
	canWrite: Answer;
	canCreateFields: Answer;
	advancedPermissions: Answer;
	fieldCount?: number;
	calls: number;
	checks: AccessCheck[];
}

export const ADD_APP =
	'Open the base in Feishu, click "…" (top right) -> "More" -> "Add document app" (添加文档应用), pick this app and give it "Can edit" (可编辑) or "Can manage" (可管理). Until then every call answers 91403.';
const GRANT_EDIT =
	'The app was added with "Can view" (可阅读) only: in the base, "…" -> "More" -> "Add document app", change the app\'s right to "Can edit" (可编辑) or "Can manage" (可管理).';
const ADVANCED =
	'With advanced permissions a caller without "Can manage" (可管理) may get successful searches with NO records and cannot add fields: give the app "Can manage" on the base, or a role in the advanced-permission settings that edits this table and manages its fields.';
const NO_AUTH_SCOPE =
	'Feishu did not say (the app lacks the scope docs:permission.member:auth): grant it in the developer console (权限管理), or run the workflow once with Dry Run off on a test table.';

const isCode = (error: unknown, ...codes: number[]) =>
	error instanceof FeishuApiError && error.code !== undefined && codes.includes(error.code);
const NO_ACCESS = [91403, 1254302, 1254304];

export async function checkAccess(client: AccessClient, appToken: string, tableId?: string): Promise<AccessReport> {
	const checks: AccessCheck[] = [];
	let calls = 0;
	const report = (r: Omit<AccessReport, 'checks' | 'calls' | 'ok'>): AccessReport => ({
		...r,
		ok: r.canRead === 'yes' && r.canWrite === 'yes',
		calls,
		checks,
	});

	let advanced: boolean;
	try {
		calls++;
		advanced = (await client.baseInfo(appToken, { fresh: true })).isAdvanced;
	} catch (error) {
		if (!isCode(error, 91403)) throw error;
		checks.push({
			check: 'appAdded',
			answer: 'no',
			detail: 'Feishu answered 91403: the app is not added to the base',
			whatToDo: ADD_APP,
		});
		return report({
			appAdded: 'no',
			canRead: 'no',
			canWrite: 'no',
			canCreateFields: 'no',
			advancedPermissions: 'unknown',
		});
	}
	checks.push({ check: 'appAdded', answer: 'yes', detail: 'The app opens the base' });
	checks.push(
		advanced
			? {
					check: 'advancedPermissions',
					answer: 'yes',
					detail: 'The base uses advanced permissions',
					whatToDo: ADVANCED,
				}
			: { check: 'advancedPermissions', answer: 'no', detail: 'The base does not use advanced permissions' },
	);

	let canRead: Answer = 'yes';
	let fieldCount: number | undefined;
	if (tableId) {
		try {
			calls++;
			fieldCount = (await client.listFields(appToken, tableId)).length;
			checks.push({ check: 'canRead', answer: 'yes', detail: `The app reads the table's ${fieldCount} fields` });
		} catch (error) {
			if (!isCode(error, ...NO_ACCESS)) throw error;
			canRead = 'no';
			checks.push({
				check: 'canRead',
				answer: 'no',
				detail: `Feishu refused to list the table's fields (${(error as FeishuApiError).code})`,
				whatToDo: advanced ? ADVANCED : ADD_APP,
			});
		}
	} else {
		checks.push({
			check: 'canRead',
			answer: 'yes',
			detail: 'The app opens the base (no table given: tables not checked one by one)',
		});
	}

	let canWrite: Answer;
	try {
		calls++;
		canWrite = (await client.permissionAuth(appToken, 'edit')) ? 'yes' : 'no';
	} catch (error) {
		if (!isCode(error, 99991672, 99991679)) throw error;
		canWrite = 'unknown';
	}
	if (canRead === 'no' && canWrite === 'yes') canWrite = advanced ? 'unknown' : 'no';
	if (canWrite === 'yes')
		checks.push({
			check: 'canWrite',
			answer: 'yes',
			detail: advanced
				? 'The app may edit the base (advanced permissions can still restrict a table: see above)'
				: 'The app may edit records',
		});
	else if (canWrite === 'no')
		checks.push({ check: 'canWrite', answer: 'no', detail: 'The app may not edit this base', whatToDo: GRANT_EDIT });
	else
		checks.push({
			check: 'canWrite',
			answer: 'unknown',
			detail: 'Whether the app may edit is not known',
			whatToDo: NO_AUTH_SCOPE,
		});

	// Editors add fields on a plain base; on an advanced one it takes manage rights, which no call reports
	const canCreateFields: Answer = canWrite !== 'yes' ? canWrite : advanced ? 'unknown' : 'yes';
	checks.push(
		canCreateFields === 'yes'
			? { check: 'canCreateFields', answer: 'yes', detail: 'Editors can add fields ("Create Missing Fields" works)' }
			: canCreateFields === 'unknown'
				? {
						check: 'canCreateFields',
						answer: 'unknown',
						detail: advanced ? 'On a base with advanced permissions adding fields takes "Can manage"' : 'Not known',
						whatToDo: advanced ? ADVANCED : NO_AUTH_SCOPE,
					}
				: {
						check: 'canCreateFields',
						answer: 'no',
						detail: 'The app may not edit, so it cannot add fields',
						whatToDo: GRANT_EDIT,
					},
	);
	return report({
		appAdded: 'yes',
		canRead,
		canWrite,
		canCreateFields,
		advancedPermissions: advanced ? 'yes' : 'no',
		fieldCount,
	});
}

/** One line for a credential test or a log: what stands in the way, first. */
export function accessSummary(r: AccessReport): string {
	const blocking =
		r.checks.find((c) => c.answer !== 'yes' && c.whatToDo && c.check !== 'advancedPermissions') ??
		r.checks.find((c) => c.whatToDo);
	if (r.ok && !blocking) return 'The app can read and write the base';
	return blocking ? `${blocking.detail}. ${blocking.whatToDo}` : 'The app can read and write the base';
}
