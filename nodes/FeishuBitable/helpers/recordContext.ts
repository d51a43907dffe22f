/** What every record and table operation needs per item: the table, its fields (read once), plain values, key lookups. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { buildKey } from '../../../lib/bitableSync/keys';
import { recordWriteFields } from '../../../lib/bitableSync/recordFields';
import { sessionClient } from '../../../lib/bitableSync/sessionClient';
import type { BitableClient } from '../../../lib/bitableSync/types';
import { coerceWriteValue, normaliseReadValue, plainOfWrite, type FieldMeta } from '../../../lib/feishu/fieldValues';
import { FeishuInputError } from '../../../lib/feishu/errors';
import type { FeishuSession } from '../../../lib/feishu/session';
import { resolveTable, type TableRef } from '../../shared/feishu/tableLocator';
import { getFeishuSession } from '../../shared/feishu/session';
import { mappedValues } from './mapping';

export class RecordContext {
	private readonly tables = new Map<string, Promise<TableRef>>();
	private readonly fields = new Map<string, Promise<FieldMeta[]>>();
	readonly client: BitableClient;

	private constructor(
		readonly ctx: IExecuteFunctions,
		readonly session: FeishuSession,
		readonly timeZone: string,
	) {
		this.client = sessionClient(session);
	}

	static async open(ctx: IExecuteFunctions): Promise<RecordContext> {
		const session = await getFeishuSession(ctx);
		return new RecordContext(ctx, session, session.timeZone);
	}

	table(i: number): Promise<TableRef> {
		const id = JSON.stringify([this.ctx.getNodeParameter('base', i, ''), this.ctx.getNodeParameter('table', i, '')]);
		let ref = this.tables.get(id);
		if (!ref) this.tables.set(id, (ref = resolveTable(this.ctx, this.session, i)));
		return ref;
	}

	fieldsOf(ref: TableRef): Promise<FieldMeta[]> {
		const id = `${ref.appToken}/${ref.tableId}`;
		let list = this.fields.get(id);
		if (!list) this.fields.set(id, (list = this.session.listFields(ref.appToken, ref.tableId)));
		return list;
	}

	/** The item's mapped values, coerced to write forms (users looked up, attachments uploaded). */
	async writeFields(ref: TableRef, i: number): Promise<Record<string, unknown>> {
		const values = mappedValues(this.ctx, i, this.ctx.getInputData()[i].json);
		return recordWriteFields(this.client, ref.appToken, await this.fieldsOf(ref), values, {
			timeZone: this.timeZone,
			itemIndex: i,
		});
	}

	/** A record's fields as plain values (or as Feishu returns them). */
	async present(ref: TableRef, fields: Record<string, unknown>, simplify: boolean): Promise<IDataObject> {
		if (!simplify) return fields as IDataObject;
		const byName = new Map((await this.fieldsOf(ref)).map((f) => [f.field_name, f]));
		const out: IDataObject = {};
		for (const [name, value] of Object.entries(fields)) {
			const field = byName.get(name);
			out[name] = (
				field ? normaliseReadValue(field, value, { timeZone: this.timeZone }) : value
			) as IDataObject[string];
		}
		return out;
	}

	/** The records an update or delete is about: by record ID, or every record with the key value. */
	async targetIds(i: number): Promise<string[]> {
		const param = (name: string, fallback?: unknown) => this.ctx.getNodeParameter(name, i, fallback);
		const ref = await this.table(i);
		if (param('recordBy', 'id') === 'key') return this.idsByKey(ref, param('keyField') as string, param('keyValue'));
		const id = String(param('recordId', '')).trim();
		if (!id) throw new FeishuInputError('No record ID was given');
		return [id];
	}

	/** Record ids whose key field equals `value` (searched by Feishu, confirmed on the normalised values). */
	async idsByKey(ref: TableRef, keyField: string, value: unknown): Promise<string[]> {
		const field = (await this.fieldsOf(ref)).find((f) => f.field_name === keyField);
		if (!field) throw new FeishuInputError(`The table has no field named "${keyField}"`);
		const key = buildKey([plainOfWrite(field, coerceWriteValue(field, value, { timeZone: this.timeZone }))]);
		if (key === undefined) throw new FeishuInputError(`The key value for "${keyField}" is empty`);
		const filter = {
			conjunction: 'and' as const,
			conditions: [{ field_name: keyField, operator: 'is', value: field.type === 5 ? ['ExactDate', key] : [key] }],
		};
		const records = await this.session.searchRecords(
			ref.appToken,
			ref.tableId,
			{ field_names: [keyField], filter },
			{ pageSize: 500 },
		);
		return records
			.filter((r) => buildKey([normaliseReadValue(field, r.fields[keyField], { timeZone: this.timeZone })]) === key)
			.map((r) => r.record_id);
	}
}
