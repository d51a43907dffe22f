import type { IDataObject, ILoadOptionsFunctions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { type PolledRecord, type TriggerCursor, decideChanges, emptyCursor, windowStart } from '../../lib/bitableTrigger/cursor';
import { newestSearchBody, pollSearchBody } from '../../lib/bitableTrigger/query';
import { buildConditions, type ConditionInput } from '../../lib/feishu/filter';
import { appOpenId } from '../../lib/feishu/appIdentity';
import { type FieldMeta, normaliseReadValue } from '../../lib/feishu/fieldValues';
import type { BitableRecord } from '../../lib/feishu/types';
import { resolveTable } from '../shared/feishu/tableLocator';
import { toNodeApiError } from '../shared/feishu/errors';
import { getFeishuSession } from '../shared/feishu/session';
import { checkedNumber } from '../shared/parameters';

const MODIFIED_TIME = 1002;

interface TriggerState extends IDataObject {
	cursor?: TriggerCursor & IDataObject;
}

function toPolled(record: BitableRecord, fields: Map<string, FieldMeta>, modifiedField: string, timeZone: string): PolledRecord {
	const plain: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(record.fields ?? {})) {
		const meta = fields.get(name);
		plain[name] = meta ? normaliseReadValue(meta, value, { timeZone }) : value;
	}
	const modifiedMs = Number(plain[modifiedField] ?? record.last_modified_time ?? 0);
	const by = record.last_modified_by as { id?: string } | undefined;
	return {
		recordId: record.record_id,
		modifiedMs,
		createdMs: Number(record.created_time ?? modifiedMs),
		modifiedBy: by?.id,
		fields: plain,
	};
}

function toItem(record: PolledRecord, event: string, changedFields: string[] | null): INodeExecutionData {
	return {
		json: {
			record_id: record.recordId,
			event,
			fields: record.fields as IDataObject,
			modified_time: record.modifiedMs,
			modified_time_iso: new Date(record.modifiedMs).toISOString(),
			created_time: record.createdMs,
			modified_by: record.modifiedBy ?? null,
			...(changedFields ? { changed_fields: changedFields } : {}),
		},
	};
}

/**
 * One poll: read the records modified since the cursor's window (by day, as Feishu filters dates),
 * let the pure cursor decide what is new, save the cursor, emit one item per change.
 */
export async function pollTable(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const loadCtx = this as unknown as ILoadOptionsFunctions;
	const rawOptions = this.getNodeParameter('options', {}) as { lookbackSeconds?: unknown };
	// checked before any call: a negative look-back would silently skip changes
	const lookbackSeconds = checkedNumber(this.getNode(), rawOptions.lookbackSeconds, 0, { label: 'Look-Back Window (Seconds)', min: 0 }, 120);
	const session = await getFeishuSession(this);
	const timeZone = session.timeZone;
	try {
		const ref = await resolveTable(loadCtx, session);
		const modifiedField = this.getNodeParameter('modifiedField', '') as string;
		const events = this.getNodeParameter('events', 'created') as 'created' | 'updated' | 'both';
		const options = this.getNodeParameter('options', {}) as {
			emitExisting?: boolean;
			ignoreOwnEdits?: boolean;
		};
		const fieldList = await session.listFields(ref.appToken, ref.tableId);
		const modified = fieldList.find((f) => f.field_name === modifiedField);
		if (!modified || modified.type !== MODIFIED_TIME) {
			throw new NodeOperationError(
				this.getNode(),
				modified
					? `"${modifiedField}" is not a "Modified time" field`
					: `The table has no field named "${modifiedField}"`,
				{
					description:
						'Add a "Modified time" field to the table in Feishu (+ on the header row → Modified time / 最后更新时间) and pick it in "Modified Time Field". Feishu cannot search on a record\'s hidden timestamps.',
				},
			);
		}
		const fields = new Map(fieldList.map((f) => [f.field_name, f as FieldMeta]));
		const rows = this.getNodeParameter('conditions.condition', []) as ConditionInput[];
		// Feishu counts filter days in the base's time zone, which may differ from the credential's
		const baseZone = (await session.baseInfo(ref.appToken)).timeZone ?? timeZone;
		const conditions = buildConditions(rows, fields, timeZone, baseZone);

		if (this.getMode() === 'manual') {
			const page = await session.searchPage(ref.appToken, ref.tableId, newestSearchBody(modifiedField, conditions), 1);
			if (!page.items.length) return null;
			return [[toItem(toPolled(page.items[0], fields, modifiedField, timeZone), 'test', null)]];
		}

		const state = this.getWorkflowStaticData('node') as TriggerState;
		const lookbackMs = lookbackSeconds * 1000;
		const firstPoll = !state.cursor;
		const cursor: TriggerCursor = state.cursor ?? emptyCursor(options.emitExisting ? 0 : Date.now());
		const ignoreModifiedBy = options.ignoreOwnEdits === false ? [] : [await appOpenId(session)];
		const body = pollSearchBody(modifiedField, windowStart(cursor, lookbackMs), baseZone, conditions);
		const records = await session.searchRecords(ref.appToken, ref.tableId, body);
		const watchFields = events === 'created' ? [] : ((this.getNodeParameter('watchFields', []) as string[]) ?? []);
		const { changes, next } = decideChanges(
			cursor,
			records.map((r) => toPolled(r, fields, modifiedField, timeZone)),
			{ created: events !== 'updated', updated: events !== 'created', watchFields, lookbackMs, ignoreModifiedBy },
			firstPoll && !options.emitExisting,
		);
		state.cursor = next as TriggerCursor & IDataObject;
		if (!changes.length) return null;
		return [changes.map((c) => toItem(c.record, c.event, c.event === 'updated' ? c.changedFields : null))];
	} catch (error) {
		if (error instanceof NodeOperationError) throw error;
		throw toNodeApiError(this.getNode(), error);
	}
}
