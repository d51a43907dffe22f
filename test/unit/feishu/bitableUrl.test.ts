import { FeishuInputError, parseBitableUrl } from '../../../lib/feishu';

/** What a link to a base (and to one of its tables and views) reads as. */
const base = (appToken: string, tableId?: string, viewId?: string) => ({ kind: 'base', appToken, tableId, viewId });

describe('parseBitableUrl', () => {
	it.each([
		[
			'https://acme.feishu.cn/base/bascnAbc123XYZ?table=tblAbc123&view=vewXyz789',
			base('bascnAbc123XYZ', 'tblAbc123', 'vewXyz789'),
		],
		['https://acme.feishu.cn/base/AppTok3nWithoutTable', base('AppTok3nWithoutTable')],
		['https://acme.larksuite.com/base/bascnAbc123XYZ?table=tblAbc123', base('bascnAbc123XYZ', 'tblAbc123')],
		[
			'https://acme.sg.larksuite.com/base/bascnAbc123XYZ?from=from_copylink&table=tblQ&view=vewQ',
			base('bascnAbc123XYZ', 'tblQ', 'vewQ'),
		],
		['acme.feishu.cn/base/bascnAbc123XYZ', base('bascnAbc123XYZ')],
		[
			'https://acme.feishu.cn/wiki/wikcnNode12345?table=tblAbc123',
			{ kind: 'wiki', wikiToken: 'wikcnNode12345', tableId: 'tblAbc123', viewId: undefined },
		],
		['https://open.private.example.com/base/bascnAbc123XYZ', base('bascnAbc123XYZ')],
		['  bascnAbc123XYZ  ', { kind: 'base', appToken: 'bascnAbc123XYZ' }],
	])('reads %s', (input, expected) => {
		expect(parseBitableUrl(input)).toEqual(expected);
	});

	it.each([
		['', /No Bitable link/],
		['tblAbc123', /table id alone/],
		['https://acme.feishu.cn/sheets/shtcnAbc123', /spreadsheet, not to a Bitable base/],
		['https://acme.feishu.cn/docx/doxcnAbc123', /document, not to a Bitable base/],
		['https://acme.feishu.cn/share/base/form/shrcnAbc123', /shared form or view link/],
		['https://example.com/foo', /is not a Bitable link/],
		['https://acme.feishu.cn/base/bascnAbc123XYZ?table=nottbl', /"nottbl" is not a Bitable table id/],
		['not a token!', /neither a Bitable link nor an app token/],
	])('rejects %p with a clear message', (input, message) => {
		let error: unknown;
		try {
			parseBitableUrl(input);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(FeishuInputError);
		expect((error as Error).message).toMatch(message);
		expect((error as FeishuInputError).hint).toMatch(/Paste the link of the base/);
	});
});
