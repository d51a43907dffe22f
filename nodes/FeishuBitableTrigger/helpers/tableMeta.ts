/** The table's fields and base time zone a poll needs, kept in the trigger's static data between polls. */
import type { IDataObject, ILoadOptionsFunctions, IPollFunctions, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { TriggerCursor } from '../../../lib/bitableTrigger/cursor';
import { storedFields, useCachedMeta, type TriggerMeta } from '../../../lib/bitableTrigger/meta';
import type { FieldMeta } from '../../../lib/feishu/fieldValues';
import type { FeishuSession } from '../../../lib/feishu/session';
import { resolveTable } from '../../shared/feishu/tableLocator';

/** Feishu's "Modified time" field type, the one a poll filters and sorts on. */
export const MODIFIED_TIME = 1002;

/** What the trigger keeps in n8n's static data between polls: its cursor and the table's metadata. */
export interface TriggerState extends IDataObject {
	cursor?: TriggerCursor & IDataObject;
	meta?: TriggerMeta & IDataObject;
}

export type TriggerContext = IPollFunctions | ITriggerFunctions;

export interface PollMeta {
	ref: { appToken: string; tableId: string };
	fields: Map<string, FieldMeta>;
	baseZone: string;
	/** Read by this poll (not served from static data). */
	fresh: boolean;
}

/** The table's fields and base zone: from static data when fresh enough (an idle poll then costs one call). */
export async function readMeta(
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

export function checkModifiedField(ctx: TriggerContext, fields: Map<string, FieldMeta>, modifiedField: string): void {
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
