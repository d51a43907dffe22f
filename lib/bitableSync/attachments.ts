/**
 * Attachment values: URLs, n8n binary files or existing file tokens. Files are compared by content
 * hash with what the table holds, so an unchanged file is never uploaded again; only files of records
 * that are written get uploaded (once per content per run).
 */
import { createHash } from 'crypto';
import { CoercionError } from '../feishu/fieldValues';
import { ownValue } from '../objectKeys';
import type { AttachmentFile, BitableClient } from './types';

export interface AttachmentRef {
	/** An existing file token given as is. */
	token?: string;
	file?: AttachmentFile;
	url?: string;
	/** Why the URL could not be downloaded. */
	error?: Error;
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export function fileFromBuffer(name: string, mimeType: string, data: Buffer): AttachmentFile {
	return { name, mimeType, data, sha256: sha256(data) };
}

const EXPECTED = 'attachments: URLs, n8n binary data or {file_token}';

function isAttachmentFile(v: unknown): v is AttachmentFile {
	return (
		!!v &&
		typeof v === 'object' &&
		Buffer.isBuffer((v as AttachmentFile).data) &&
		typeof (v as AttachmentFile).sha256 === 'string'
	);
}

/** Raw input value -> references (URLs not fetched yet). */
export function attachmentRefs(value: unknown): AttachmentRef[] | null {
	if (value === null || value === undefined || value === '') return null;
	const list = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[\n,，]\s*(?=https?:)/)
			: [value];
	const refs: AttachmentRef[] = [];
	for (const v of list) {
		if (isAttachmentFile(v)) refs.push({ file: v });
		else if (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v.trim())) refs.push({ url: v.trim() });
		else if (v && typeof v === 'object' && typeof (v as { file_token?: unknown }).file_token === 'string') {
			refs.push({ token: (v as { file_token: string }).file_token });
		} else throw new CoercionError(EXPECTED, value);
	}
	return refs.length ? refs : null;
}

export interface TableAttachment {
	file_token: string;
	name?: string;
	size?: number;
}

/** Whether the table's attachments hold the same files as the input (by hash, else by name and size). */
export function sameAttachments(table: unknown, refs: AttachmentRef[] | null, hashes: Record<string, string>): boolean {
	const cells = Array.isArray(table) ? (table as TableAttachment[]) : [];
	if (!refs) return cells.length === 0;
	if (cells.length !== refs.length) return false;
	return refs.every((ref, i) => {
		const cell = cells[i];
		if (ref.token) return ref.token === cell.file_token;
		const file = ref.file as AttachmentFile;
		const known = ownValue(hashes, cell.file_token);
		return known ? known === file.sha256 : cell.name === file.name && Number(cell.size) === file.data.length;
	});
}

/** Fetches every URL once (many rows often share a file). */
export async function fetchUrls(
	refs: Iterable<AttachmentRef>,
	download: ((url: string) => Promise<AttachmentFile>) | undefined,
): Promise<Map<string, AttachmentFile | Error>> {
	const files = new Map<string, AttachmentFile | Error>();
	for (const ref of refs) {
		if (!ref.url || files.has(ref.url)) continue;
		try {
			if (!download) throw new Error('no downloader');
			files.set(ref.url, await download(ref.url));
		} catch (error) {
			files.set(ref.url, error instanceof Error ? error : new Error(String(error)));
		}
	}
	return files;
}

/** Uploads the files of refs (once per hash), returning the write form. */
export class Uploader {
	private readonly byHash = new Map<string, Promise<string>>();
	readonly uploaded: Record<string, string> = {};

	constructor(
		private readonly client: BitableClient,
		private readonly appToken: string,
	) {}

	async writeForm(refs: AttachmentRef[] | null): Promise<{ file_token: string }[] | null> {
		if (!refs) return null;
		const out: { file_token: string }[] = [];
		for (const ref of refs) {
			if (ref.token) {
				out.push({ file_token: ref.token });
				continue;
			}
			const file = ref.file as AttachmentFile;
			let pending = this.byHash.get(file.sha256);
			if (!pending) {
				if (!this.client.uploadAttachment) throw new Error('this Feishu client cannot upload attachments');
				pending = this.client.uploadAttachment(this.appToken, file).then((token) => {
					this.uploaded[token] = file.sha256;
					return token;
				});
				this.byHash.set(file.sha256, pending);
			}
			out.push({ file_token: await pending });
		}
		return out;
	}
}
