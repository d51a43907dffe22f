/** The Feishu session (lib/feishu) seen as the client a sync needs. */
import type { FeishuSession } from '../feishu/session';
import type { AttachmentFile, BitableClient } from './types';

export function sessionClient(session: FeishuSession): BitableClient {
	return {
		get calls() {
			return session.calls;
		},
		listFields: (appToken, tableId) => session.listFields(appToken, tableId),
		createField: (appToken, tableId, spec) => session.createField(appToken, tableId, spec),
		searchRecords: (appToken, tableId, body, opts) => session.searchRecords(appToken, tableId, body, opts),
		searchPage: (appToken, tableId, body, pageSize, pageToken) => session.searchPage(appToken, tableId, body, pageSize, pageToken),
		batchGetRecords: (appToken, tableId, ids) => session.batchGetRecords(appToken, tableId, ids),
		batchCreateRecords: (appToken, tableId, records, opts) => session.batchCreateRecords(appToken, tableId, records, opts),
		batchUpdateRecords: (appToken, tableId, records, opts) => session.batchUpdateRecords(appToken, tableId, records, opts),
		batchDeleteRecords: (appToken, tableId, ids, opts) => session.batchDeleteRecords(appToken, tableId, ids, { ...opts, ignoreMissing: true }),
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
			const { fileToken } = await session.uploadMedia({ appToken, fileName: file.name, content: file.data, parentType });
			return fileToken;
		},
	};
}
