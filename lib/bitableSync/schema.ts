/** Which table field each mapped name writes to, which fields must be created, and which are ignored. */
import { READ_ONLY_TYPES, WRITABLE_TYPES, typeName, type FieldMeta } from '../feishu/fieldValues';
import { SyncRefusedError } from './errors';
import { inferField } from './inferTypes';
import { checkKeyField } from './keys';
import type { FieldStrategy, NewFieldSpec, SyncInputItem } from './types';

export interface Schema {
	/** Every field the sync writes (existing or to be created), by name. */
	targets: Map<string, FieldMeta>;
	keyFields: FieldMeta[];
	toCreate: NewFieldSpec[];
	/** Mapped names not written, with the reason (read-only, missing). */
	ignored: { field: string; reason: string }[];
	/** Every field of the table, by name. */
	tableFields: Map<string, FieldMeta>;
}

export interface SchemaOptions {
	keyFields: string[];
	createMissingFields: boolean;
	strategy: FieldStrategy;
	timeZone: string;
	/** Missing fields without creation: 'ignore' (auto mapping) or 'error' (fields named by the user). */
	missingFields?: 'ignore' | 'error';
}

export function resolveSchema(fields: FieldMeta[], items: SyncInputItem[], opts: SchemaOptions): Schema {
	const tableFields = new Map(fields.map((f) => [f.field_name, f]));
	const mapped = new Set<string>(opts.keyFields);
	for (const item of items) for (const name of Object.keys(item.values)) mapped.add(name);
	const targets = new Map<string, FieldMeta>();
	const toCreate: NewFieldSpec[] = [];
	const ignored: { field: string; reason: string }[] = [];
	for (const name of mapped) {
		// Feishu trims field names on create (docs/feishu-api.md): " Name " maps to the field "Name"
		const existing = tableFields.get(name) ?? tableFields.get(name.trim());
		const isKey = opts.keyFields.includes(name);
		if (existing) {
			if (READ_ONLY_TYPES.has(existing.type) || !WRITABLE_TYPES.has(existing.type)) {
				if (isKey) {
					throw new SyncRefusedError(
						`The key field "${name}" is a ${typeName(existing.type)} field, which Feishu fills itself, so new records could not carry the key`,
						'Pick a writable key field (text, number, date, ...).',
					);
				}
				ignored.push({ field: name, reason: `${typeName(existing.type)} fields are read-only: never written` });
				continue;
			}
			targets.set(name, existing);
			continue;
		}
		if (!opts.createMissingFields) {
			if (isKey || opts.missingFields === 'error') {
				throw new SyncRefusedError(
					`The table has no field named "${name}"`,
					`Create the field in Feishu, correct the name, or turn on "Create Missing Fields". The table's fields: ${fields.map((f) => f.field_name).join(', ')}`,
				);
			}
			ignored.push({ field: name, reason: 'no such field in the table (turn on "Create Missing Fields" to add it)' });
			continue;
		}
		const spec = {
			...inferField(
				name,
				items.map((i) => i.values[name]),
				opts.strategy,
				opts.timeZone,
			),
			field_name: name.trim(),
		};
		if (toCreate.some((c) => c.field_name === spec.field_name)) {
			throw new SyncRefusedError(
				`Two mapped names become the field "${spec.field_name}" once trimmed`,
				'Feishu trims field names: rename one of them.',
			);
		}
		toCreate.push(spec);
		targets.set(name, {
			field_name: spec.field_name,
			type: spec.type,
			ui_type: spec.ui_type,
			property: spec.property ?? null,
		});
	}
	const keyFields = opts.keyFields.map((name) => targets.get(name) as FieldMeta);
	for (const f of keyFields) {
		const problem = checkKeyField(f);
		if (problem) throw new SyncRefusedError(problem, 'Pick another key field.');
	}
	return { targets, keyFields, toCreate, ignored, tableFields };
}
