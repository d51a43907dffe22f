import { FeishuApiError, hintFor } from '../../../lib/feishu';

describe('Feishu error hints', () => {
	it('91403 says where to add the app to the base', () => {
		const hint = new FeishuApiError(91403, 'Forbidden', 'bitable.records.search', 403).hint;
		expect(hint).toContain('"…"');
		expect(hint).toContain('添加文档应用');
		expect(hint).toContain('"Add document app"');
	});

	it("99991672 names the missing scope from Feishu's message, or the one the endpoint needs", () => {
		const named = hintFor(
			99991672,
			'Access denied. One of the following scopes is required: [bitable:app:readonly, bitable:app].',
			'bitable.records.search',
		);
		expect(named).toContain('bitable:app:readonly, bitable:app');
		expect(named).toContain('Permissions & Scopes');
		expect(hintFor(99991672, 'Access denied', 'contact.batch_get_id')).toContain('contact:user.id:readonly');
		expect(hintFor(99991672, 'Access denied', 'wiki.get_node')).toContain('wiki:wiki:readonly');
	});

	it('explains value conversion failures by field type', () => {
		expect(hintFor(1254064, 'DatetimeFieldConvFail', 'bitable.records.batch_create')).toMatch(/date field/);
		expect(hintFor(1254072, 'PhoneFieldConvFail', 'bitable.records.batch_create')).toMatch(/phone field/);
	});

	it("keeps Feishu's code and message in the error message", () => {
		const error = new FeishuApiError(1254041, 'TableIdNotFound', 'bitable.fields.list', 200);
		expect(error.message).toBe('Feishu error 1254041 on bitable.fields.list: TableIdNotFound');
		expect(error.hint).toMatch(/table was not found/);
		expect(new FeishuApiError(undefined, 'Bad Gateway', 'bitable.records.search', 502).message).toContain('HTTP 502');
	});
});
