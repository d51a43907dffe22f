import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeExecutionData,
	IPollFunctions,
	ITriggerFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	type PolledRecord,
	type TriggerCursor,
	decideChanges,
	emptyCursor,
	windowStart,
} from '../../lib/bitableTrigger/cursor';
import { newestSearchBody, pollSearchBody } from '../../lib/bitableTrigger/query';
import { buildConditions, type ConditionInput } from '../../lib/feishu/filter';
import { appOpenId } from '../../lib/feishu/appIdentity';
import { type FieldMeta, normaliseReadValue } from '../../lib/feishu/fieldValues';
import type { BitableRecord } from '../../lib/feishu/types';
import { FeishuApiError } from '../../lib/feishu/errors';
import { monthSpend, underBudget } from '../../lib/feishu/usage';
import type { FeishuSession } from '../../lib/feishu/session';
import {
	DEFAULT_META_EVERY_POLLS,
	hasUnknownField,
	storedFields,
	useCachedMeta,
	type TriggerMeta,
} from '../../lib/bitableTrigger/meta';
import { resolveTable } from '../shared/feishu/tableLocator';
import { toNodeError } from '../shared/errors';
import { getFeishuSession } from '../shared/feishu/session';
import { checkedNumber } from '../shared/parameters';

const MODIFIED_TIME = 1002;
/** Feishu's FieldNameNotFound (docs/feishu-api.md, error codes). */
const FIELD_NAME_NOT_FOUND = 1254045;

interface TriggerState extends IDataObject {
	cursor?: TriggerCursor & IDataObject;
	meta?: TriggerMeta & IDataObject;
}

function toPolled(
	record: BitableRecord,
	fields: Map<string, FieldMeta>,
	modifiedField: string,
	timeZone: string,
): PolledRecord {
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

type TriggerContext = IPollFunctions | ITriggerFunctions;

interface PollMeta {
	ref: { appToken: string; tableId: string };
	fields: Map<string, FieldMeta>;
	baseZone: string;
	/** Read by this poll (not served from static data). */
	fresh: boolean;
}

/** The table's fields and base zone: from static data when fresh enough (an idle poll then costs one call). */
async function readMeta(
	ctx: TriggerContext,
	session: FeishuSession,
	state: TriggerState,
	locator: string,
	everyPolls: number,
	force: boolean,
): Promise<PollMeta> {
	if (!force && useCachedMeta(state.meta, locator, everyPolls)) {
		const meta = state.meta;
		return {
			ref: { appToken: meta.appToken, tableId: meta.tableId },
			fields: new Map(meta.fields.map((f) => [f.field_name, f])),
			baseZone: meta.baseZone ?? session.timeZone,
			fresh: false,
		};
	}
	const ref = await resolveTable(ctx as unknown as ILoadOptionsFunctions, session);
	const fieldList = await session.listFields(ref.appToken, ref.tableId);
	// Feishu counts filter days in the base's time zone, which may differ from the credential's
	const baseZone = (await session.baseInfo(ref.appToken)).timeZone ?? session.timeZone;
	const meta: TriggerMeta = {
		version: 1,
		locator,
		appToken: ref.appToken,
		tableId: ref.tableId,
		fields: storedFields(fieldList),
		baseZone,
		polls: 1,
	};
	state.meta = meta as TriggerMeta & IDataObject;
	return { ref, fields: new Map(meta.fields.map((f) => [f.field_name, f])), baseZone, fresh: true };
}

function checkModifiedField(ctx: TriggerContext, fields: Map<string, FieldMeta>, modifiedField: string): void {
	const modified = fields.get(modifiedField);
	if (modified && modified.type === MODIFIED_TIME) return;
	throw new NodeOperationError(
		ctx.getNode(),
		modified ? `"${modifiedField}" is not a "Modified time" field` : `The table has no field named "${modifiedField}"`,
		{
			description:
				'Add a "Modified time" field to the table in Feishu (+ on the header row → Modified time / 最后更新时间) and pick it in "Modified Time Field". Feishu cannot search on a record\'s hidden timestamps.',
		},
	);
}

/**
 * One poll: read the records modified since the cursor's window (by day, as Feishu filters dates),
 * let the pure cursor decide what is new, save the cursor, return one item per change. Shared by the
 * polling mode and the event mode (which polls once per event batch and after every (re)connect).
 */
export async function pollChanges(
	ctx: TriggerContext,
	manual: boolean,
	session?: FeishuSession,
): Promise<INodeExecutionData[] | null> {
	const rawOptions = ctx.getNodeParameter('options', {}) as { lookbackSeconds?: unknown; metaEveryPolls?: unknown };
	// checked before any call: a negative look-back would silently skip changes
	const lookbackSeconds = checkedNumber(
		ctx.getNode(),
		rawOptions.lookbackSeconds,
		0,
		{ label: 'Look-Back Window (Seconds)', min: 0 },
		120,
	);
	const metaEvery = checkedNumber(
		ctx.getNode(),
		rawOptions.metaEveryPolls,
		0,
		{ label: 'Re-Read Table Fields Every N Polls', min: 0, integer: true },
		DEFAULT_META_EVERY_POLLS,
	);
	session ??= await getFeishuSession(ctx);
	const timeZone = session.timeZone;
	const budget = checkedNumber(
		ctx.getNode(),
		(rawOptions as IDataObject).monthlyCallBudget,
		0,
		{ label: 'Monthly Call Budget', min: 0, integer: true },
		0,
	);
	if (!manual && budget > 0) {
		// shared with every process through Redis when Shared State is Redis, else this process's count
		const spend = await monthSpend(
			session.config.appId,
			session.caller.app.usage,
			Date.now(),
			session.sharedUsage,
			budget,
		);
		if (!underBudget(spend)) {
			// skipped, not lost: the cursor stays where it is, so the first poll under budget catches up
			ctx.logger.warn(
				`Feishu Bitable Trigger (${ctx.getNode().name}): poll skipped, the app made ${spend.calls} calls in ${spend.month}, its Monthly Call Budget is ${budget}`,
			);
			return null;
		}
	}
	try {
		const modifiedField = ctx.getNodeParameter('modifiedField', '') as string;
		const events = ctx.getNodeParameter('events', 'created') as 'created' | 'updated' | 'both';
		const options = ctx.getNodeParameter('options', {}) as {
			emitExisting?: boolean;
			ignoreOwnEdits?: boolean;
		};
		const rows = ctx.getNodeParameter('conditions.condition', []) as ConditionInput[];
		const state = (manual ? {} : ctx.getWorkflowStaticData('node')) as TriggerState;
		// the cache is for these parameters only: another table, field or filter reads everything again
		const locator = JSON.stringify([
			ctx.getNodeParameter('base', ''),
			ctx.getNodeParameter('table', ''),
			modifiedField,
			rows,
		]);
		let meta = await readMeta(ctx, session, state, locator, metaEvery, manual);
		if (!meta.fields.has(modifiedField) && !meta.fresh)
			meta = await readMeta(ctx, session, state, locator, metaEvery, true);
		checkModifiedField(ctx, meta.fields, modifiedField);
		const { ref } = meta;
		const search = async <T>(run: (m: PollMeta) => Promise<T>): Promise<T> => {
			try {
				return await run(meta);
			} catch (error) {
				// a field renamed or deleted since the list was cached
				if (!(error instanceof FeishuApiError && error.code === FIELD_NAME_NOT_FOUND) || meta.fresh) throw error;
				meta = await readMeta(ctx, session as FeishuSession, state, locator, metaEvery, true);
				checkModifiedField(ctx, meta.fields, modifiedField);
				return run(meta);
			}
		};
		const conditionsOf = (m: PollMeta) => buildConditions(rows, m.fields, timeZone, m.baseZone);

		if (manual) {
			const page = await session.searchPage(
				ref.appToken,
				ref.tableId,
				newestSearchBody(modifiedField, conditionsOf(meta)),
				1,
			);
			if (!page.items.length) return null;
			return [toItem(toPolled(page.items[0], meta.fields, modifiedField, timeZone), 'test', null)];
		}

		const lookbackMs = lookbackSeconds * 1000;
		const firstPoll = !state.cursor;
		const cursor: TriggerCursor = state.cursor ?? emptyCursor(options.emitExisting ? 0 : Date.now());
		const ignoreModifiedBy = options.ignoreOwnEdits === false ? [] : [await appOpenId(session)];
		const records = await search((m) =>
			(session as FeishuSession).searchRecords(
				ref.appToken,
				ref.tableId,
				pollSearchBody(modifiedField, windowStart(cursor, lookbackMs), m.baseZone, conditionsOf(m)),
			),
		);
		if (hasUnknownField(records, meta.fields) && !meta.fresh) {
			// a field added since the list was cached: its values are read with the fresh list
			meta = await readMeta(ctx, session, state, locator, metaEvery, true);
			checkModifiedField(ctx, meta.fields, modifiedField);
		}
		const watchFields = events === 'created' ? [] : ((ctx.getNodeParameter('watchFields', []) as string[]) ?? []);
		const { changes, next } = decideChanges(
			cursor,
			records.map((r) => toPolled(r, meta.fields, modifiedField, timeZone)),
			{ created: events !== 'updated', updated: events !== 'created', watchFields, lookbackMs, ignoreModifiedBy },
			firstPoll && !options.emitExisting,
		);
		state.cursor = next as TriggerCursor & IDataObject;
		if (!changes.length) return null;
		return changes.map((c) => toItem(c.record, c.event, c.event === 'updated' ? c.changedFields : null));
	} catch (error) {
		if (error instanceof NodeOperationError) throw error;
		throw toNodeError(ctx.getNode(), error);
	}
}

/** The polling mode's poll (the event mode's poll does nothing: its changes arrive through trigger()). */
export async function pollTable(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const manual = this.getMode() === 'manual';
	if (!manual && this.getNodeParameter('mode', 'poll') === 'events') return null;
	const items = await pollChanges(this, manual);
	return items ? [items] : null;
}
