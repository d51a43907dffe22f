import { createHash } from 'crypto';
import { startStandaloneFeishu } from './standalone';
import { ALICE, APP_TOKEN, body, sdkClient, startKit, type Kit } from './testkit';

let k: Kit;
beforeEach(async () => {
	k = await startKit();
});
afterEach(() => k.close());

describe('wiki get_node', () => {
	it('resolves a wiki node to its bitable app token; 131005 unknown, 131006 not shared with the app', async () => {
		await k.emu.admin.addWikiNode({ nodeToken: 'wikcnNode1', objType: 'bitable', objToken: APP_TOKEN, title: 'Sales' });
		await k.emu.admin.addWikiNode({
			nodeToken: 'wikcnPrivate',
			objType: 'bitable',
			objToken: 'bascnOther',
			apps: ['cli_someone_else'],
		});
		const res = await body(k.client.wiki.space.getNode({ params: { token: 'wikcnNode1', obj_type: 'wiki' } }));
		expect(res.code).toBe(0);
		expect(res.data.node).toMatchObject({
			node_token: 'wikcnNode1',
			obj_type: 'bitable',
			obj_token: APP_TOKEN,
			title: 'Sales',
		});
		expect((await body(k.client.wiki.space.getNode({ params: { token: 'wikcnMissing' } }))).code).toBe(131005);
		expect((await body(k.client.wiki.space.getNode({ params: { token: 'wikcnPrivate' } }))).code).toBe(131006);
	});
});

describe('contact batch_get_id', () => {
	it('maps emails and mobiles to ids, leaves unknown ones without user_id, and caps each list at 50', async () => {
		const res = await body(
			k.client.contact.user.batchGetId({
				params: { user_id_type: 'open_id' },
				data: { emails: [ALICE.email, 'ghost@example.com'], mobiles: ['13800000001', '+8613999999999'] },
			}),
		);
		expect(res.code).toBe(0);
		expect(res.data.user_list).toEqual([
			expect.objectContaining({ email: ALICE.email, user_id: ALICE.open_id }),
			{ email: 'ghost@example.com' },
			expect.objectContaining({ mobile: '13800000001', user_id: ALICE.open_id }),
			{ mobile: '+8613999999999' },
		]);
		const byUserId = await body(
			k.client.contact.user.batchGetId({ params: { user_id_type: 'user_id' }, data: { emails: [ALICE.email] } }),
		);
		expect(byUserId.data.user_list[0].user_id).toBe(ALICE.user_id);
		const tooMany = await body(
			k.client.contact.user.batchGetId({ data: { emails: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`) } }),
		);
		expect(tooMany.code).not.toBe(0);
	});
});

describe('drive medias upload_all', () => {
	it('stores the upload (sha256 kept) and returns a file_token an attachment field accepts', async () => {
		const content = Buffer.from('hello attachment');
		const res = await body(
			k.client.drive.media.uploadAll({
				data: {
					file_name: 'hello.txt',
					parent_type: 'bitable_file',
					parent_node: APP_TOKEN,
					size: content.length,
					file: content,
				},
			}),
		);
		const file_token = res.file_token ?? res.data?.file_token;
		expect(file_token).toMatch(/^box/);
		const [info] = await k.emu.admin.uploads();
		expect(info).toMatchObject({
			file_token,
			name: 'hello.txt',
			size: content.length,
			parent_type: 'bitable_file',
			parent_node: APP_TOKEN,
		});
		expect(info.sha256).toBe(createHash('sha256').update(content).digest('hex'));
		const created = await body(
			k.client.bitable.appTableRecord.create({
				path: { app_token: APP_TOKEN, table_id: k.tableId },
				data: { fields: { Files: [{ file_token }] } as any },
			}), // eslint-disable-line @typescript-eslint/no-explicit-any
		);
		expect(created.code).toBe(0);
	});

	const upload = async (fields: Record<string, string>, content: Buffer) => {
		const form = new FormData();
		for (const [key, v] of Object.entries(fields)) form.set(key, v);
		form.set('file', new Blob([content]), 'f.bin');
		const res = await fetch(`${k.emu.baseUrl}/open-apis/drive/v1/medias/upload_all`, {
			method: 'POST',
			headers: { authorization: `Bearer ${await k.token()}` },
			body: form,
		});
		return (await res.json()) as { code: number };
	};

	it('checks parent_type, parent_node, size and the 20 MB cap', async () => {
		const ok = { file_name: 'f.bin', parent_type: 'bitable_image', parent_node: APP_TOKEN, size: '3' };
		expect((await upload(ok, Buffer.from('abc'))).code).toBe(0);
		expect((await upload({ ...ok, parent_type: 'doc_image' }, Buffer.from('abc'))).code).toBe(1061002);
		expect((await upload({ ...ok, parent_node: 'bascnNope' }, Buffer.from('abc'))).code).toBe(1061044);
		expect((await upload({ ...ok, size: '4' }, Buffer.from('abc'))).code).toBe(1061002);
		const big = Buffer.alloc(20 * 1024 * 1024 + 1);
		expect((await upload({ ...ok, size: String(big.length) }, big)).code).toBe(1061043);
	});
});

describe('standalone demo', () => {
	it('starts with a seeded app, base, table and bot that the SDK can use', async () => {
		const demo = await startStandaloneFeishu();
		try {
			const described = JSON.parse(JSON.stringify(demo));
			expect(Object.keys(described).sort()).toEqual(
				['appId', 'appSecret', 'appToken', 'baseUrl', 'botKeyword', 'botSecret', 'botWebhookUrl', 'tableId'].sort(),
			);
			const client = sdkClient(demo.baseUrl, { appId: demo.appId, appSecret: demo.appSecret });
			const res = await client.bitable.appTableRecord.search({
				path: { app_token: demo.appToken, table_id: demo.tableId },
				data: {},
			});
			expect(res.data?.total).toBeGreaterThan(0);
			expect(demo.botWebhookUrl).toBe(`${demo.baseUrl}/open-apis/bot/v2/hook/demo-bot-token`);
		} finally {
			await demo.close();
		}
	});
});

describe('unknown routes', () => {
	it('answer 404 outside the served paths, and admin routes stay off /open-apis', async () => {
		expect((await fetch(`${k.emu.baseUrl}/open-apis/bitable/v1/nowhere`)).status).toBe(404);
		expect((await fetch(`${k.emu.baseUrl}/open-apis/__admin/reset`, { method: 'POST' })).status).toBe(404);
	});
});
