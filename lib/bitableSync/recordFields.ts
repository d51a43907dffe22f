/** One record's fields for the record operations: the same coercion, user lookup and uploads as a sync. */
import { FieldType as T, type FieldMeta } from '../feishu/fieldValues';
import { Uploader } from './attachments';
import { ValidationError } from './errors';
import { prepareItems } from './prepare';
import { resolveSchema } from './schema';
import type { AttachmentFile, BitableClient } from './types';

export async function recordWriteFields(
	client: BitableClient,
	appToken: string,
	fields: FieldMeta[],
	values: Record<string, unknown>,
	opts: { timeZone: string; itemIndex: number; download?: (url: string) => Promise<AttachmentFile> },
): Promise<Record<string, unknown>> {
	const items = [{ index: opts.itemIndex, values }];
	const schema = resolveSchema(fields, items, {
		keyFields: [],
		createMissingFields: false,
		strategy: 'base',
		timeZone: opts.timeZone,
		missingFields: 'error',
	});
	const prepared = await prepareItems(client, schema, items, { timeZone: opts.timeZone, download: opts.download });
	if (prepared.failures.length) throw new ValidationError(prepared.failures);
	const item = prepared.items[0];
	const uploader = new Uploader(client, appToken);
	const out: Record<string, unknown> = {};
	for (let c = 0; c < prepared.fields.length; c++) {
		if (item.writes[c] === undefined) continue;
		const field = prepared.fields[c];
		out[field.field_name] =
			field.type === T.Attachment ? await uploader.writeForm(item.attachments[c] ?? null) : item.writes[c];
	}
	return out;
}
