/**
 * Access check (Feishu Bitable > Table > Check Access, and the Feishu App credential's Test with a base link) against
 * the Feishu emulator: app not added, view-only, editor, advanced permissions, a scope missing; calls counted.
 */
import type { ICredentialTestFunctions, ICredentialsDecrypted, IDataObject } from 'n8n-workflow';
import { feishuAppApiTest } from '../../nodes/FeishuBitable/methods/credentialTest';
import { APP, APP_TOKEN, useKit } from './feishuBitableKit';

const kit = useKit();
let tableId: string;
beforeAll(async () => {
	tableId = await kit.newTable([
		{ field_name: 'Code', type: 1 },
		{ field_name: 'Qty', type: 2 },
	]);
});
async function check(appToken: string, table?: string): Promise<IDataObject> {
	await kit.emu.admin.resetCounters();
	const r = await kit.run(
		kit.node({
			resource: 'table',
			operation: 'checkAccess',
			base: { __rl: true, mode: 'id', value: appToken },
			table: { __rl: true, mode: table ? 'id' : 'list', value: table ?? '' },
		}),
		[{}],
	);
	expect(r.error).toBeUndefined();
	const [item] = r.json('Bitable');
	return item;
}
const answers = (r: IDataObject) => ({
	appAdded: r.appAdded,
	canRead: r.canRead,
	canWrite: r.canWrite,
	canCreateFields: r.canCreateFields,
	advancedPermissions: r.advancedPermissions,
	ok: r.ok,
});
const whatToDo = (r: IDataObject, check: string) =>
	(r.checks as IDataObject[]).find((c) => c.check === check)?.whatToDo as string | undefined;

describe('Check Access', () => {
	it('an editor app on a plain base: read, write, add fields; three calls', async () => {
		const r = await check(APP_TOKEN, tableId);
		expect(answers(r)).toEqual({
			appAdded: 'yes',
			canRead: 'yes',
			canWrite: 'yes',
			canCreateFields: 'yes',
			advancedPermissions: 'no',
			ok: true,
		});
		expect(r).toMatchObject({ calls: 3, fieldCount: 2, table_id: tableId });
		expect((await kit.emu.admin.counters()).writeCalls).toBe(0);
	});

	it('an app not added to the base: one call, every answer no, and how to add it', async () => {
		await kit.emu.admin.createBase({ appToken: 'bascnAccessNotShared00001', apps: [] });
		const r = await check('bascnAccessNotShared00001');
		expect(answers(r)).toMatchObject({ appAdded: 'no', canRead: 'no', canWrite: 'no', ok: false });
		expect(r.calls).toBe(1);
		expect(whatToDo(r, 'appAdded')).toMatch(/Add document app.*91403/);
	});

	it('an app added with "Can view": reads, may not write nor add fields, told to raise its right', async () => {
		await kit.emu.admin.createBase({ appToken: 'bascnAccessViewOnly000001', apps: [APP.appId] });
		await kit.emu.admin.setAppPermission('bascnAccessViewOnly000001', APP.appId, 'view');
		const r = await check('bascnAccessViewOnly000001');
		expect(answers(r)).toEqual({
			appAdded: 'yes',
			canRead: 'yes',
			canWrite: 'no',
			canCreateFields: 'no',
			advancedPermissions: 'no',
			ok: false,
		});
		expect(whatToDo(r, 'canWrite')).toMatch(/Can edit/);
		expect(r.calls).toBe(2);
	});

	it('a base with advanced permissions: said, with what the app needs; adding fields not promised', async () => {
		await kit.emu.admin.createBase({ appToken: 'bascnAccessAdvanced000001', apps: [APP.appId], advanced: true });
		const r = await check('bascnAccessAdvanced000001');
		expect(answers(r)).toMatchObject({ advancedPermissions: 'yes', canWrite: 'yes', canCreateFields: 'unknown' });
		expect(whatToDo(r, 'advancedPermissions')).toMatch(/Can manage.*NO records/);
	});

	it('without the permission scope the write answer is "unknown", with the scope to grant', async () => {
		await kit.emu.admin.setAppScopes(APP.appId, ['bitable:app']);
		try {
			const r = await check(APP_TOKEN, tableId);
			expect(answers(r)).toMatchObject({ canRead: 'yes', canWrite: 'unknown', canCreateFields: 'unknown', ok: false });
			expect(whatToDo(r, 'canWrite')).toMatch(/docs:permission\.member:auth/);
		} finally {
			await kit.emu.admin.setAppScopes(APP.appId, undefined);
		}
	});
});

describe("the Feishu App credential's Test with a base link", () => {
	const test = (data: IDataObject) =>
		feishuAppApiTest.call(
			{} as ICredentialTestFunctions,
			{
				id: '1',
				name: 'Feishu',
				type: 'feishuAppApi',
				data: { ...kit.credentials.feishuAppApi, ...data },
			} as ICredentialsDecrypted,
		);

	it("no link: the token is enough; a wrong secret fails with Feishu's code and never shows the secret", async () => {
		await expect(test({})).resolves.toMatchObject({ status: 'OK' });
		const wrong = await test({ appSecret: 'wrong-secret-xyz' });
		expect(wrong).toEqual({ status: 'Error', message: expect.stringContaining('(10014)') });
		expect(wrong.message).not.toContain('wrong-secret-xyz');
	});

	it('a link to a table the app can write passes; a base the app was not added to fails with what to do', async () => {
		await expect(test({ checkBase: `https://x.feishu.cn/base/${APP_TOKEN}?table=${tableId}` })).resolves.toEqual({
			status: 'OK',
			message: 'The app can read and write the table (3 calls).',
		});
		const notAdded = await test({ checkBase: 'https://x.feishu.cn/base/bascnAccessNotShared00001' });
		expect(notAdded.status).toBe('Error');
		expect(notAdded.message).toMatch(/not added to the base.*Add document app/);
	});
});
