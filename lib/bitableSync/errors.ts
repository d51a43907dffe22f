/** Why a sync stopped before (or, for verify, after) writing. Each says what happened and what to do. */
import { describeValue } from '../feishu/fieldValues';
import { ServiceError } from '../errors';
import type { ItemValidationError } from './types';

export class SyncRefusedError extends ServiceError {
	declare hint: string;
	constructor(
		message: string,
		hint: string,
		/** Input item the refusal is about, when there is one. */
		itemIndex?: number,
		kind: 'input' | 'refused' = 'refused',
	) {
		super(message, { service: 'package', kind, hint, itemIndex });
	}
}

export function validationMessage(e: Omit<ItemValidationError, 'message'>, detail: string): string {
	return `Item ${e.itemIndex}: field "${e.field}" cannot take the value ${describeValue(e.value)}: ${detail}`;
}

export class ValidationError extends SyncRefusedError {
	constructor(readonly failures: ItemValidationError[]) {
		const first = failures[0];
		const more = failures.length > 1 ? ` (and ${failures.length - 1} more item${failures.length > 2 ? 's' : ''})` : '';
		super(
			`${first.message}${more}`,
			`Nothing was written. Fix the value (expected ${first.expected}), map the input to another field, or turn on "Continue On Fail" to sync the other items and get the failing ones as error items.`,
			first.itemIndex,
			'input',
		);
	}
}

export class DuplicateKeysError extends SyncRefusedError {
	constructor(readonly duplicates: { key: string; items: number[] }[]) {
		const list = duplicates
			.slice(0, 10)
			.map((d) => `${d.key} (items ${d.items.join(', ')})`)
			.join('; ');
		super(
			`${duplicates.length} key${duplicates.length === 1 ? ' appears' : 's appear'} more than once in the input: ${list}${duplicates.length > 10 ? '; ...' : ''}`,
			'Nothing was written. Remove the duplicates upstream, pick a key that is unique, or set "Duplicate Keys in Input" to "Last One Wins".',
			duplicates[0]?.items[0],
			'input',
		);
	}
}

export class ThresholdError extends SyncRefusedError {
	constructor(
		readonly wouldDelete: number,
		readonly keyedRecords: number,
		limit: string,
	) {
		const pct = keyedRecords ? ((wouldDelete / keyedRecords) * 100).toFixed(1) : '100';
		super(
			`This run would delete ${wouldDelete} of ${keyedRecords} records (${pct}%), more than the limit of ${limit}`,
			'Nothing was written. If the input is incomplete (a watermark, a LIMIT, a failed query), fix it; if the deletions are intended, raise "Max Deletes" / "Max Delete Percent".',
		);
	}
}

export class VerifyError extends SyncRefusedError {
	constructor(readonly mismatches: { record_id: string; key: string; fields: string[] }[]) {
		const list = mismatches
			.slice(0, 10)
			.map((m) => `${m.record_id} (key ${m.key}: ${m.fields.join(', ')})`)
			.join('; ');
		super(
			`Verify found ${mismatches.length} record${mismatches.length === 1 ? '' : 's'} that differ from what was written: ${list}`,
			'Someone or something (an automation, a formula, a field type change) changed these records while syncing, or Feishu stored the values differently: check the fields named.',
		);
	}
}

/**
 * The read found no records in a base with advanced permissions: Feishu answers an app without manage rights with
 * success and no records (search page), and taking that for an empty table would create every record again.
 */
export class AdvancedPermissionError extends SyncRefusedError {
	constructor(wouldCreate: number) {
		super(
			`The base uses advanced permissions and the app read no records from this table, so ${wouldCreate} record${wouldCreate === 1 ? '' : 's'} would be created: refusing, because an app without manage rights reads such a table as empty and would create every record again on every run`,
			'Nothing was written. Give the app manage rights (可管理 / "Can manage") on the base: in Feishu open the base, "…" -> "More" -> "Add document app" and pick "Can manage", or give the app a role with manage rights in the advanced-permission settings. If the app already manages the base and the table is really empty, add one record by hand and run again.',
		);
	}
}
