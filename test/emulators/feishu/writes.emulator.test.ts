import { randomUUID } from 'crypto';
import { joinSegments } from './index';
import { ALICE, APP, APP_TOKEN, body, startKit, type Kit } from './testkit';

let k: Kit;
let clockMs: number;
const path = () => ({ app_token: APP_TOKEN, table_id: k.tableId });

beforeEach(async () => {
	clockMs = Date.UTC(2026, 2, 1, 4, 0, 0);
	k = await startKit({ now: () => clockMs });
});
afterEach(() => k.close());

const create = (fields: Record<string, unknown>, params: Record<string, string> = {}) =>
	body(k.client.bitable.appTableRecord.create({ path: path(), params, data: { fields: fields as any } })); // eslint-disable-line @typescript-eslint/no-explicit-any
const update = (record_id: string, fields: Record<string, unknown>) =>
	body(k.client.bitable.appTableRecord.update({ path: { ...path(), record_id }, data: { fields: fields as any } })); // eslint-disable-line @typescript-eslint/no-explicit-any
const dump = () => k.emu.admin.dumpTable(APP_TOKEN, k.tableId);
const readAll = async () =>
	(await body(k.client.bitable.appTableRecord.search({ path: path(), params: { page_size: 500 }, data: {} }))).data
		.items as {
		record_id: string;
		fields: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
	}[];

async function upload(name: string, content: Buffer): Promise<string> {
	const form = new FormData();
	form.set('file_name', name);
	form.set('parent_type', 'bitable_file');
	form.set('parent_node', APP_TOKEN);
	form.set('size', String(content.length));
	form.set('file', new Blob([content]), name);
	const res = await fetch(`${k.emu.baseUrl}/open-apis/drive/v1/medias/upload_all`, {
		method: 'POST',
		headers: { authorization: `Bearer ${await k.token()}` },
		body: form,
	});
	return ((await res.json()) as { data: { file_token: string } }).data.file_token;
}

describe('per-type write validation', () => {
	it.each([
		['Name', 5, 1254060],
		['Amount', '5', 1254061],
		['Status', 3, 1254062],
		['Tags', 'a', 1254063],
		['Tags', [1], 1254063],
		['Due', '2026-03-01', 1254064],
		['Active', 'true', 1254065],
		['Owner', [{ id: 'ou_nobody' }], 1254066],
		['Owner', 'ou_alice', 1254066],
		['Owner', [{ id: `ou_app_${APP.appId}` }], 1254066],
		['Related', ['recNope000'], 1254067],
		['Related', 'recNope000', 1254067],
		['Site', 'https://example.com', 1254068],
		['Site', { text: 'no link' }, 1254068],
		['Files', [{ file_token: 'boxNeverUploaded' }], 1254069],
		['Files', ['boxNeverUploaded'], 1254069],
		['Phone', '138-0000', 1254072],
		['Phone', '1'.repeat(65), 1254072],
		['Phone', 13800000000, 1254072],
		['Place', 'somewhere', 1254015],
		['Place', '200,10', 1254015],
	])('%s = %j -> %i, nothing written', async (field, value, code) => {
		const res = await create({ Name: 'x', [field]: value });
		expect(res.code).toBe(code);
		expect((await dump()).records).toHaveLength(0);
	});

	it('accepts every writable type in its write form and echoes that form', async () => {
		await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: [{ fields: { Name: 'target' } }],
		});
		const [target] = (await dump()).records;
		const file = await upload('report.pdf', Buffer.from('%PDF-1.4 test'));
		const fields = {
			Name: 'Acme',
			Amount: 12.5,
			Status: 'Done',
			Tags: ['a', 'b'],
			Due: Date.UTC(2026, 2, 1),
			Active: true,
			Owner: [{ id: ALICE.open_id }],
			Phone: '+8613800000000',
			Site: { text: 'home', link: 'https://acme.example.com' },
			Files: [{ file_token: file }],
			Related: [target.record_id],
			Place: '116.397,39.909',
		};
		const res = await create(fields);
		expect(res.code).toBe(0);
		expect(res.data.record.fields).toEqual(fields);
		expect(res.data.record.record_id).toMatch(/^rec/);
		const row = (await dump()).records.find((r) => r.record_id === res.data.record.record_id);
		expect(row?.plain).toMatchObject({ ...fields, Owner: [ALICE.open_id], Files: [file], Related: [target.record_id] });
	});

	it('accepts user ids in the user_id_type the call names', async () => {
		const res = await body(
			k.client.bitable.appTableRecord.create({
				path: path(),
				params: { user_id_type: 'user_id' },
				data: { fields: { Owner: [{ id: 'alice' }] } as any },
			}), // eslint-disable-line @typescript-eslint/no-explicit-any
		);
		expect(res.code).toBe(0);
		expect((await dump()).records[0].plain.Owner).toEqual([ALICE.open_id]);
		expect((await create({ Owner: [{ id: 'alice' }] })).code).toBe(1254066); // default open_id
	});

	it.each(['Lookup', 'Formula', 'Created', 'Modified', 'Creator', 'Editor', 'No', 'Stage', 'Button'])(
		'refuses a write to read-only %s with 1254015',
		async (field) => {
			expect((await create({ Name: 'x', [field]: 'v' })).code).toBe(1254015);
			expect((await dump()).records).toHaveLength(0);
		},
	);

	it('caps a text cell at 100000 characters (1254130)', async () => {
		expect((await create({ Name: 'x'.repeat(100_001) })).code).toBe(1254130);
		expect((await create({ Name: 'x'.repeat(100_000) })).code).toBe(0);
	});
});

describe('unknown names and permission', () => {
	it('1254045 unknown field, 1254041 unknown table, 1254040 unknown base, 1254043 unknown record', async () => {
		expect((await create({ Nope: 1 })).code).toBe(1254045);
		const t = await body(
			k.client.bitable.appTableRecord.create({
				path: { app_token: APP_TOKEN, table_id: 'tblNope' },
				data: { fields: {} },
			}),
		);
		expect(t.code).toBe(1254041);
		const b = await body(
			k.client.bitable.appTableRecord.create({
				path: { app_token: 'bascnNope', table_id: k.tableId },
				data: { fields: {} },
			}),
		);
		expect(b.code).toBe(1254040);
		expect((await update('recNope00000', { Name: 'x' })).code).toBe(1254043);
	});

	it('91403 (HTTP 403) for a base the app was not added to', async () => {
		await k.emu.admin.setBaseApps(APP_TOKEN, []);
		const raw = await k.api('POST', `${k.records}/search`, {});
		expect(raw.status).toBe(403);
		expect(raw.json.code).toBe(91403);
		expect((await create({ Name: 'x' })).code).toBe(91403);
		await k.emu.admin.setBaseApps(APP_TOKEN, [APP.appId]);
		expect((await create({ Name: 'x' })).code).toBe(0);
	});
});

describe('options, updates and read forms', () => {
	it('creates unknown select options on write, and none when the batch fails', async () => {
		const options = async (name: string) => {
			const fields = (await dump()).fields;
			return (fields.find((f) => f.field_name === name)?.property?.options as { id: string; name: string }[]).map(
				(o) => o.name,
			);
		};
		const failed = await body(
			k.client.bitable.appTableRecord.batchCreate({
				path: path(),
				data: { records: [{ fields: { Status: 'Ghost', Tags: ['ghost'] } }, { fields: { Amount: 'bad' } as any }] }, // eslint-disable-line @typescript-eslint/no-explicit-any
			}),
		);
		expect(failed.code).toBe(1254061);
		expect(await options('Status')).toEqual(['New', 'Done']);
		expect((await create({ Status: 'Blocked', Tags: ['x', 'y'] })).code).toBe(0);
		expect(await options('Status')).toEqual(['New', 'Done', 'Blocked']);
		expect(await options('Tags')).toEqual(['x', 'y']);
		const listed = await body(k.client.bitable.appTableField.list({ path: path() }));
		const status = listed.data.items.find((f: { field_name: string }) => f.field_name === 'Status');
		expect(status.property.options[2]).toEqual({
			id: expect.stringMatching(/^opt/),
			name: 'Blocked',
			color: expect.any(Number),
		});
	});

	it('updates incrementally and clears a field set to null', async () => {
		const id = (await create({ Name: 'a', Amount: 1, Tags: ['t'] })).data.record.record_id;
		const res = await update(id, { Amount: 2, Tags: null });
		expect(res.code).toBe(0);
		expect(res.data.record.fields).toEqual({ Amount: 2, Tags: null });
		expect((await dump()).records[0].plain).toMatchObject({ Name: 'a', Amount: 2 });
		expect((await dump()).records[0].plain.Tags).toBeUndefined();
	});

	it('reads the rich form: text in several segments, users, attachments, links, location, formula', async () => {
		const [target] = await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: [
				{ fields: { Name: 'target', Formula: 42, Lookup: { type: 1, value: [{ type: 'text', text: 'looked up' }] } } },
			],
		});
		const file = await upload('a.png', Buffer.from('png-bytes'));
		const text = `line one\nline two is quite a bit longer than fifty characters, surely ${'z'.repeat(60)}`;
		await create({
			Name: text,
			Owner: [{ id: ALICE.open_id }],
			Files: [{ file_token: file }],
			Related: [target],
			Place: '1.5,2.5',
		});
		const rows = await readAll();
		const row = rows.find((r) => r.record_id !== target)!;
		expect(row.fields.Name.length).toBeGreaterThanOrEqual(3);
		expect(row.fields.Name[0]).toEqual({ type: 'text', text: 'line one\n' });
		expect(joinSegments(row.fields.Name)).toBe(text);
		expect(row.fields.Owner).toEqual([
			{ id: ALICE.open_id, name: ALICE.name, en_name: ALICE.en_name, email: ALICE.email },
		]);
		expect(row.fields.Files).toEqual([
			{
				file_token: file,
				name: 'a.png',
				type: 'image/png',
				size: 9,
				url: expect.stringContaining(file),
				tmp_url: expect.stringContaining(file),
			},
		]);
		expect(row.fields.Related).toEqual({ link_record_ids: [target] });
		expect(row.fields.Place).toMatchObject({ location: '1.5,2.5' });
		const t = rows.find((r) => r.record_id === target)!;
		expect(t.fields.Formula).toEqual({ type: 2, value: [42] });
		expect(t.fields.Lookup).toEqual({ type: 1, value: [{ type: 'text', text: 'looked up' }] });
		// the attachment url serves the uploaded bytes
		const dl = await fetch(row.fields.Files[0].url, { headers: { authorization: `Bearer ${await k.token()}` } });
		expect(Buffer.from(await dl.arrayBuffer()).toString()).toBe('png-bytes');
	});

	it('keeps the automatic fields up to date (1001-1005)', async () => {
		const t0 = clockMs;
		const a = (await create({ Name: 'a' })).data.record.record_id;
		clockMs += 1000;
		const b = (await create({ Name: 'b' })).data.record.record_id;
		let rows = await readAll();
		const get = (id: string) => rows.find((r) => r.record_id === id)!.fields;
		expect(get(a)).toMatchObject({
			Created: t0,
			Modified: t0,
			No: '1',
			Creator: [{ id: `ou_app_${APP.appId}` }],
			Editor: [{ id: `ou_app_${APP.appId}` }],
		});
		expect(get(b)).toMatchObject({ Created: t0 + 1000, No: '2' });

		clockMs += 1000;
		await k.editByHand(a, { Amount: 5 }, ALICE.open_id);
		rows = await readAll();
		expect(get(a)).toMatchObject({ Created: t0, Modified: t0 + 2000, Editor: [{ id: ALICE.open_id, name: 'Alice' }] });
		expect(get(a).Creator).toEqual([expect.objectContaining({ id: `ou_app_${APP.appId}` })]);

		clockMs += 1000;
		await update(a, { Amount: 6 });
		rows = await readAll();
		expect(get(a)).toMatchObject({ Modified: t0 + 3000, Editor: [{ id: `ou_app_${APP.appId}` }] });
		clockMs += 1000;
		await update(a, { Amount: 6 }); // no change: the modified time stays
		rows = await readAll();
		expect(get(a).Modified).toBe(t0 + 3000);
	});
	it('lets the admin backdate a human edit (a late search-index entry)', async () => {
		const id = (await create({ Name: 'a' })).data.record.record_id;
		await k.editByHand(id, { Amount: 1 }, ALICE.open_id, clockMs - 60_000);
		const [row] = (await dump()).records;
		expect(row).toMatchObject({ last_modified_time: clockMs - 60_000, modified_by: ALICE.open_id });
		expect(row.plain.Modified).toBe(clockMs - 60_000);
	});
});

describe('batches', () => {
	const batchCreate = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
		body(
			k.client.bitable.appTableRecord.batchCreate({
				path: path(),
				data: { records: Array.from({ length: n }, (_, i) => ({ fields: { Name: `r${i}`, ...extra(i) } as any })) }, // eslint-disable-line @typescript-eslint/no-explicit-any
			}),
		);

	it('creates up to 1000 records per call, in request order; 1001 -> 1254104', async () => {
		expect((await batchCreate(1001)).code).toBe(1254104);
		const ok = await batchCreate(1000);
		expect(ok.code).toBe(0);
		expect(ok.data.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(
			Array.from({ length: 1000 }, (_, i) => `r${i}`),
		);
		expect((await dump()).records).toHaveLength(1000);
	});

	it('limits batch_update to 1000, batch_delete to 500 and batch_get to 1..100', async () => {
		const ids: string[] = (await batchCreate(600)).data.records.map((r: { record_id: string }) => r.record_id);
		const up = await body(
			k.client.bitable.appTableRecord.batchUpdate({
				path: path(),
				data: { records: Array.from({ length: 1001 }, (_, i) => ({ record_id: ids[i % 600], fields: { Amount: i } })) },
			}),
		);
		expect(up.code).toBe(1254104);
		expect(
			(await body(k.client.bitable.appTableRecord.batchDelete({ path: path(), data: { records: ids.slice(0, 501) } })))
				.code,
		).toBe(1254104);
		const get = (record_ids: string[]) => k.api('POST', `${k.records}/batch_get`, { record_ids });
		expect((await get([])).json.code).toBe(1254001);
		expect((await get(ids.slice(0, 101))).json.code).toBe(1254001);
		const got = await get([ids[0], 'recAbsent000']);
		expect(got.json.data.records).toHaveLength(1);
		expect(got.json.data.records[0].fields.Name).toEqual([{ type: 'text', text: 'r0' }]);
		expect(got.json.data.absent_record_ids).toEqual(['recAbsent000']);
		expect((await dump()).records).toHaveLength(600);
	});

	it('is atomic: one bad record fails the call and nothing is written', async () => {
		const ids: string[] = (await batchCreate(3)).data.records.map((r: { record_id: string }) => r.record_id);
		expect((await batchCreate(5, (i) => (i === 4 ? { Amount: 'bad' } : {}))).code).toBe(1254061);
		const up = await body(
			k.client.bitable.appTableRecord.batchUpdate({
				path: path(),
				data: {
					records: [
						{ record_id: ids[0], fields: { Amount: 1 } },
						{ record_id: 'recAbsent000', fields: { Amount: 2 } },
					],
				},
			}),
		);
		expect(up.code).toBe(1254043);
		const del = await body(
			k.client.bitable.appTableRecord.batchDelete({ path: path(), data: { records: [ids[1], 'recAbsent000'] } }),
		);
		expect(del.code).toBe(1254043);
		const rows = (await dump()).records;
		expect(rows.map((r) => r.record_id).sort()).toEqual([...ids].sort());
		expect(rows.every((r) => r.plain.Amount === undefined)).toBe(true);
		const ok = await body(k.client.bitable.appTableRecord.batchDelete({ path: path(), data: { records: [ids[1]] } }));
		expect(ok.data.records).toEqual([{ deleted: true, record_id: ids[1] }]);
	});
});

describe('table limits', () => {
	it('refuses records past the table cap with 1254103', async () => {
		const tableId = await k.emu.admin.createTable({ appToken: APP_TOKEN, name: 'Capped', fields: [], recordCap: 2 });
		const batch = (n: number) =>
			body(
				k.client.bitable.appTableRecord.batchCreate({
					path: { app_token: APP_TOKEN, table_id: tableId },
					data: { records: Array.from({ length: n }, () => ({ fields: { Text: 'x' } })) },
				}),
			);
		expect((await batch(3)).code).toBe(1254103);
		expect((await batch(2)).code).toBe(0);
		expect((await batch(1)).code).toBe(1254103);
	});
});

describe('client_token', () => {
	const batch = (client_token: string, name: string) =>
		body(
			k.client.bitable.appTableRecord.batchCreate({
				path: path(),
				params: { client_token },
				data: { records: [{ fields: { Name: name } }] },
			}),
		);

	it('must be a uuidv4 (1254037)', async () => {
		expect((await batch('not-a-uuid', 'a')).code).toBe(1254037);
		expect((await batch('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'a')).code).toBe(1254037); // v1
		expect((await dump()).records).toHaveLength(0);
	});

	it('replayed on the same endpoint returns the first answer and writes nothing', async () => {
		const token = randomUUID();
		const first = await batch(token, 'first');
		const again = await batch(token, 'first');
		expect(again).toEqual(first);
		expect((await dump()).records.map((r) => r.plain.Name)).toEqual(['first']);
		const counters = await k.emu.admin.counters();
		expect(counters.recordsCreated).toBe(1);
		expect(counters.idempotentReplays).toBe(1);
		// another endpoint does not share the token
		expect((await create({ Name: 'single' }, { client_token: token })).code).toBe(0);
		expect((await dump()).records).toHaveLength(2);
	});

	it('reused with another body answers 1255006 and writes nothing (docs/feishu-api.md, client_token)', async () => {
		const token = randomUUID();
		expect((await batch(token, 'first')).code).toBe(0);
		const other = await batch(token, 'second');
		expect(other.code).toBe(1255006);
		expect((await dump()).records.map((r) => r.plain.Name)).toEqual(['first']);
	});

	it('repeated while the first request is still being processed answers 1254608', async () => {
		await k.emu.admin.setWriteLatency(300);
		const token = randomUUID();
		const [a, b] = await Promise.all([
			batch(token, 'x'),
			new Promise((r) => setTimeout(r, 50)).then(() => batch(token, 'x')),
		]);
		await k.emu.admin.setWriteLatency(0);
		expect(a.code).toBe(0);
		expect((b as { code: number }).code).toBe(1254608);
		expect((await dump()).records).toHaveLength(1);
	});
});

describe('determinism', () => {
	it('gives the same record ids for the same seed and writes, whatever reads happen in between', async () => {
		const idsFor = async (reads: number) => {
			const kit = await startKit({ seed: 99 });
			const p = { app_token: APP_TOKEN, table_id: kit.tableId };
			const ids: string[] = [];
			for (let i = 0; i < 3; i++) {
				for (let r = 0; r < reads; r++) await kit.client.bitable.appTableRecord.search({ path: p, data: {} });
				const res = await kit.client.bitable.appTableRecord.create({ path: p, data: { fields: { Name: `r${i}` } } });
				ids.push(res.data!.record!.record_id!);
			}
			await kit.close();
			return ids;
		};
		expect(await idsFor(2)).toEqual(await idsFor(0));
	});
});
