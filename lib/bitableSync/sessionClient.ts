/** The Feishu session (lib/feishu) seen as the client a sync needs. */
import type { FeishuSession } from '../feishu/session';
import { chunk } from '../resilience';
import { heldTableLock } from './lock';
import type { AttachmentFile, BitableClient } from './types';

/** Session defaults when the sync names no batch size (session.ts). */
const DEFAULT_BATCH = 500;

/**
 * Writes in batches, asking the held table lock (if an expiring one is held) before each batch that it is
 * still ours: a sync whose lock lapsed (a stalled worker) stops before its next write.
 */
async function inGuardedBatches<T, R>(
	items: T[],
	batchSize: number | undefined,
	write: (batch: T[]) => Promise<R>,
): Promise<R[]> {
	const lock = heldTableLock.getStore();
	if (!lock) return [await write(items)];
	const results: R[] = [];
	for (const batch of chunk(items, batchSize ?? DEFAULT_BATCH)) {
		await lock.assertHeld();
		results.push(await write(batch));
	}
	return results;
}

export function sessionClient(session: FeishuSession): BitableClient {
	return {
		get calls() {
			return session.calls;
		},
		listFields: (appToken, tableId) => session.listFields(appToken, tableId),
		createField: (appToken, tableId, spec) => session.createField(appToken, tableId, spec),
		searchRecords: (appToken, tableId, body, opts) => session.searchRecords(appToken, tableId, body, opts),
		searchPage: (appToken, tableId, body, pageSize, pageToken) =>
			session.searchPage(appToken, tableId, body, pageSize, pageToken),
		batchGetRecords: (appToken, tableId, ids) => session.batchGetRecords(appToken, tableId, ids),
		batchCreateRecords: async (appToken, tableId, records, opts) =>
			(
				await inGuardedBatches(records, opts?.batchSize, (batch) =>
					session.batchCreateRecords(appToken, tableId, batch, opts),
				)
			).flat(),
		batchUpdateRecords: (appToken, tableId, records, opts) =>
			inGuardedBatches(records, opts?.batchSize, (batch) => session.batchUpdateRecords(appToken, tableId, batch, opts)),
		batchDeleteRecords: (appToken, tableId, ids, opts) =>
			inGuardedBatches(ids, opts?.batchSize, (batch) =>
				session.batchDeleteRecords(appToken, tableId, batch, { ...opts, ignoreMissing: true }),
			),
		baseInfo: (appToken) => session.baseInfo(appToken, { fresh: true }),
		async lookupUserIds({ emails, mobiles }) {
			const found = await session.batchGetUserIds({ emails, mobiles });
			const ids = new Map<string, string>();
			for (const [email, id] of Object.entries(found.emails)) if (id) ids.set(email.toLowerCase(), id);
			for (const [mobile, id] of Object.entries(found.mobiles)) if (id) ids.set(mobile, id);
			return ids;
		},
		async uploadAttachment(appToken: string, file: AttachmentFile) {
			const parentType = file.mimeType.startsWith('image/') ? 'bitable_image' : 'bitable_file';
			const { fileToken } = await session.uploadMedia({
				appToken,
				fileName: file.name,
				content: file.data,
				parentType,
			});
			return fileToken;
		},
	};
}
