/**
 * Reads what a user pastes to point at a Bitable: a base link (Feishu, Lark, regional or private
 * hosts), a wiki link (to be resolved with wiki get_node), or a raw app token, each optionally with
 * `table` / `view`. Id lengths are not checked strictly: Feishu does not promise them.
 */
import { FeishuInputError } from './errors';

export type ParsedBitable =
	| { kind: 'base'; appToken: string; tableId?: string; viewId?: string }
	| { kind: 'wiki'; wikiToken: string; tableId?: string; viewId?: string };

const TOKEN = /^[A-Za-z0-9_-]{6,}$/;
const TABLE = /^tbl[A-Za-z0-9]+$/;
const VIEW = /^vew[A-Za-z0-9]+$/;

const OTHER_DOCS: Record<string, string> = {
	sheets: 'a spreadsheet',
	docx: 'a document',
	docs: 'a document',
	doc: 'a document',
	mindnotes: 'a mind map',
	file: 'a file',
	drive: 'a folder',
};

const EXPECTED =
	'Paste the link of the base (https://<tenant>.feishu.cn/base/<app_token>?table=tbl…), a wiki link to it, or the app token.';

function optionalId(value: string | null, pattern: RegExp, what: string): string | undefined {
	if (!value) return undefined;
	if (!pattern.test(value)) throw new FeishuInputError(`"${value}" is not a Bitable ${what} id`, EXPECTED);
	return value;
}

export function parseBitableUrl(input: string): ParsedBitable {
	const text = (input ?? '').trim();
	if (!text) throw new FeishuInputError('No Bitable link or app token was given', EXPECTED);
	if (!/^https?:\/\//i.test(text) && !text.includes('/')) {
		if (TABLE.test(text)) {
			throw new FeishuInputError('A table id alone does not say which base it is in', EXPECTED);
		}
		if (TOKEN.test(text)) return { kind: 'base', appToken: text };
		throw new FeishuInputError(`"${text}" is neither a Bitable link nor an app token`, EXPECTED);
	}
	let url: URL;
	try {
		url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		throw new FeishuInputError(`"${text}" is not a valid link`, EXPECTED);
	}
	const segments = url.pathname.split('/').filter(Boolean);
	const tableId = optionalId(url.searchParams.get('table'), TABLE, 'table');
	const viewId = optionalId(url.searchParams.get('view'), VIEW, 'view');
	const at = segments.findIndex((s) => s === 'base' || s === 'wiki');
	if (at >= 0 && segments[at + 1] && TOKEN.test(segments[at + 1]) && segments[at - 1] !== 'share') {
		const token = segments[at + 1];
		return segments[at] === 'base'
			? { kind: 'base', appToken: token, tableId, viewId }
			: { kind: 'wiki', wikiToken: token, tableId, viewId };
	}
	const other = segments.find((s) => OTHER_DOCS[s]);
	if (other) throw new FeishuInputError(`This link points to ${OTHER_DOCS[other]}, not to a Bitable base`, EXPECTED);
	if (segments[0] === 'share') {
		throw new FeishuInputError(
			'This is a shared form or view link; it does not give the app access to the base',
			EXPECTED,
		);
	}
	throw new FeishuInputError(`"${text}" is not a Bitable link`, EXPECTED);
}
