import { FeishuInputError, parseBitableUrl } from '../../../lib/feishu';

describe('parseBitableUrl', () => {
	it.each([
		[
			'https://acme.feishu.cn/base/bascnAbc123XYZ?table=tblAbc123&view=vewXyz789',
			{ kind: 'base', appToken: 'bascnAbc123XYZ', tableId: 'tblAbc123', viewId: 'vewXyz789' },
		],
		[
			'https://acme.feishu.cn/base/AppTok3nWithoutTable',
			{ kind: 'base', appToken: 'AppTok3nWithoutTable', tableId: undefined, viewId: undefined },
		],
		[
			'https://acme.larksuite.com/base/bascnAbc123XYZ?table=tblAbc123',
			{ kind: 'base', appToken: 'bascnAbc123XYZ', tableId: 'tblAbc123', viewId: undefined },
		],
		[
			'https://acme.sg.larksuite.com/base/bascnAbc123XYZ?from=from_copylink&table=tblQ&view=vewQ',
			{ kind: 'base', appToken: 'bascnAbc123XYZ', tableId: 'tblQ', viewId: 'vewQ' },
		],
		[
			'acme.feishu.cn/base/bascnAbc123XYZ',
			{ kind: 'base', appToken: 'bascnAbc123XYZ', tableId: undefined, viewId: undefined },
		],
		[
			'https://acme.feishu.cn/wiki/wikcnNode12345?table=tblAbc123',
			{ kind: 'wiki', wikiToken: 'wikcnNode12345', tableId: 'tblAbc123', viewId: undefined },
		],
		[
			'https://open.private.example.com/base/bascnAbc123XYZ',
			{ kind: 'base', appToken: 'bascnAbc123XYZ', tableId: undefined, viewId: undefined },
		],
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
