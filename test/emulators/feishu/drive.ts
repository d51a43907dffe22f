/** Media upload for attachment fields (multipart upload_all) and download of what was uploaded. */
import { createHash } from 'crypto';
import { E } from './errors';
import { parseMultipart } from './http/body';
import { RawReply, route } from './http/route';

export const MAX_UPLOAD = 20 * 1024 * 1024;
const PARENT_TYPES = ['bitable_image', 'bitable_file'];

const MIME: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	pdf: 'application/pdf',
	txt: 'text/plain',
	csv: 'text/csv',
	json: 'application/json',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const uploadRoute = route(
	'POST',
	'/open-apis/drive/v1/medias/upload_all',
	'drive.upload_all',
	'multipart',
	(ctx) => {
		const parts = parseMultipart(ctx.raw, ctx.headers['content-type']);
		if (!parts) throw E.driveParams('multipart/form-data body expected');
		const text = (name: string) =>
			parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
		const file = parts.find((p) => p.name === 'file');
		const fileName = text('file_name');
		const parentType = text('parent_type') ?? '';
		const parentNode = text('parent_node') ?? '';
		const size = Number(text('size'));
		if (!file || !fileName) throw E.driveParams('file and file_name are required');
		if (!PARENT_TYPES.includes(parentType)) throw E.driveParams(`parent_type must be ${PARENT_TYPES.join(' or ')}`);
		const base = ctx.state.bases.get(parentNode);
		if (!base) throw E.driveParentMissing();
		if (!base.apps.has(ctx.appId)) throw E.driveForbidden();
		if (file.data.length > MAX_UPLOAD) throw E.driveTooLarge();
		if (!Number.isInteger(size) || size !== file.data.length) throw E.driveParams('size does not match the file');
		const ext = fileName.split('.').pop()?.toLowerCase() ?? '';
		const token = ctx.state.ids.id('box', 24);
		ctx.state.uploads.set(token, {
			file_token: token,
			name: fileName,
			size,
			mime:
				MIME[ext] ??
				(file.contentType && file.contentType !== 'application/octet-stream'
					? file.contentType
					: 'application/octet-stream'),
			sha256: createHash('sha256').update(file.data).digest('hex'),
			parent_type: parentType,
			parent_node: parentNode,
			content: file.data,
		});
		return { file_token: token };
	},
);

export const downloadRoute = route(
	'GET',
	'/open-apis/drive/v1/medias/:file_token/download',
	'drive.download',
	'none',
	(ctx) => {
		const u = ctx.state.uploads.get(ctx.params.file_token);
		if (!u) throw E.driveFileMissing();
		return new RawReply(200, u.content, {
			'content-type': u.mime,
			'content-disposition': `attachment; filename="${encodeURIComponent(u.name)}"`,
		});
	},
);

/**
 * drive permission member auth (判断用户云文档权限): whether the calling app holds `action` on the document.
 * For a base: the app must be added (else false); view needs any right, edit needs edit or full access.
 */
export const permissionAuthRoute = route(
	'GET',
	'/open-apis/drive/v1/permissions/:token/members/auth',
	'drive.permission_auth',
	'none',
	(ctx) => {
		const type = ctx.query.get('type');
		const action = ctx.query.get('action');
		if (!type || !action) throw E.driveParams('type and action are required');
		const base = type === 'bitable' ? ctx.state.bases.get(ctx.params.token) : undefined;
		if (!base) throw E.driveParentMissing();
		if (!base.apps.has(ctx.appId)) return { auth_result: false };
		const perm = base.appPerms?.get(ctx.appId) ?? 'edit';
		if (action === 'view') return { auth_result: true };
		if (action === 'edit') return { auth_result: perm !== 'view' };
		return { auth_result: perm === 'full_access' };
	},
);
