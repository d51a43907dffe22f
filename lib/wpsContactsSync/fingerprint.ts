import { createHash } from 'crypto';
import type { Operation } from './types';

/** JSON with sorted keys, so equal content always hashes equal. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What identifies a plan: its target and its operations (an edited plan has another fingerprint). */
export function planFingerprint(targetKey: string, operations: Operation[]): string {
	const hash = createHash('sha256');
	hash.update(targetKey);
	for (const op of operations) {
		hash.update('\n');
		hash.update(
			canonicalJson({
				id: op.id,
				kind: op.kind,
				exId: op.exId,
				wpsId: op.wpsId,
				before: op.before,
				after: op.after,
				dependsOn: [...op.dependsOn].sort(),
				temporary: op.temporary,
			}),
		);
	}
	return hash.digest('hex').slice(0, 32);
}

export function shortHash(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
