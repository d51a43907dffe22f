import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { decideChanges, emptyCursor, windowStart, type TriggerCursor } from '../../../lib/bitableTrigger/cursor';
import { DEFAULT_META_EVERY_POLLS, hasUnknownField } from '../../../lib/bitableTrigger/meta';
import { newestSearchBody, pollSearchBody } from '../../../lib/bitableTrigger/query';
import { appOpenId } from '../../../lib/feishu/appIdentity';
import { FeishuApiError } from '../../../lib/feishu/errors';
import { buildConditions, type ConditionInput } from '../../../lib/feishu/filter';
import type { FeishuSession } from '../../../lib/feishu/session';
import { monthSpend, underBudget } from '../../../lib/feishu/usage';
import { toNodeError } from '../../shared/errors';
import { getFeishuSession } from '../../shared/feishu/session';
import { checkedNumber } from '../../shared/parameters';
import { toItem, toPolled } from './records';
import { checkModifiedField, readMeta, type PollMeta, type TriggerContext, type TriggerState } from './tableMeta';

/** Feishu's FieldNameNotFound (docs/feishu-api.md, error codes). */
const FIELD_NAME_NOT_FOUND = 1254045;

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
