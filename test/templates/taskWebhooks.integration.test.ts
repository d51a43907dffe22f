/**
 * The task templates' checks a security reviewer reads, through the harness (the e2e suite proves the webhooks'
 * secrets and refusals on a real n8n): a callbackUrl is read as n8n's URL parser reads it and only an allowed host
 * is taken; n8n sends data only to URLs from Config or from the task's MySQL row, each checked against its hosts;
 * Task callback refuses malformed signatures and non-UTF-8 bodies, and its answers never carry MySQL's error text.
 * Time is injected (X-Timestamp), never waited for.
 */
import { configure, runnerFor } from './templates';
import { sign, unixNow } from './generationService';
import { CALLBACK_SECRET, INTERNAL_AUTH, mysqlTasks, startWorld, submit, type World } from './setup';

let world: World;
const rowOf = async (taskId: string) => (await mysqlTasks(world)).find((r) => r.task_id === taskId);
const notified = (taskId: string) => world.service.notifications.filter((n) => n.taskId === taskId);

async function handOff(taskId: string) {
	const res = await fetch(`${world.host.baseUrl}/webhook/task-generation`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [INTERNAL_AUTH.name]: INTERNAL_AUTH.value },
		body: JSON.stringify({ taskId }),
	});
	expect(res.status).toBe(200);
	await world.host.drain();
}

async function postCallback(raw: Buffer | string, headers: Record<string, string>) {
	const res = await fetch(`${world.host.baseUrl}/webhook/task-callback`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: raw,
	});
	const answer = { status: res.status, json: (await res.json()) as Record<string, unknown> };
	await world.host.drain();
	return answer;
}

const signedHeaders = (raw: string, timestamp = unixNow()) => ({
	'x-timestamp': String(timestamp),
	'x-signature': sign(raw, CALLBACK_SECRET, timestamp),
});

beforeAll(async () => {
	world = await startWorld(4);
});
afterAll(async () => {
	await world?.close();
});

it('intake takes a callbackUrl only on an allowed host, as the URL parser reads it, and stores it normalised', async () => {
	const notify = `${world.service.baseUrl}/notify`;
	const port = new URL(notify).port;
	const refused = [
		`http://localhost:${port}/notify`, // the same receiver, by a name not in callbackHosts
		`http://127.0.0.1.evil.example/notify`,
		`http://evil.example/127.0.0.1/notify`,
		`http://127.0.0.1@evil.example/notify`, // user info: the host is evil.example
		`http://evil.example\\@127.0.0.1/notify`, // the parser reads the backslash as a slash: evil.example
		`http://user:pw@127.0.0.1:${port}/notify`, // allowed host, but with credentials
		`ftp://127.0.0.1/notify`,
		'javascript:alert(1)',
		'not a url',
	];
	for (const [index, callbackUrl] of refused.entries()) {
		const answer = await submit(world, { taskId: `ok-url-${index}`, prompt: 'ok- a cup', callbackUrl });
		expect({ callbackUrl, status: answer.status, error: answer.json.error }).toEqual({
			callbackUrl,
			status: 400,
			error: expect.stringMatching(/^callbackUrl/),
		});
	}
	await world.host.drain();
	expect((await mysqlTasks(world)).filter((r) => r.task_id.startsWith('ok-url-'))).toEqual([]);

	const taken = await submit(world, {
		taskId: 'ok-url-taken',
		prompt: 'ok- a cup',
		callbackUrl: notify.replace('http://', 'HTTP://'),
	});
	expect(taken.status).toBe(202);
	await world.host.drain();
	expect((await rowOf('ok-url-taken'))?.callback_url).toBe(notify);
	expect(notified('ok-url-taken')).toEqual([expect.objectContaining({ status: 'Completed' })]);
});

it("generation tells the front end only at the row's callbackUrl, and only while its host is allowed", async () => {
	const notify = `${world.service.baseUrl}/notify`;
	const insert = (taskId: string, callbackUrl: string) =>
		world.db.admin.query(
			`INSERT INTO gen_tasks (task_id, user_id, prompt, callback_url, status, version, status_at) VALUES (?, 'u', 'ok- a bowl', ?, 'Pending', 1, NOW(3))`,
			[taskId, callbackUrl],
		);
	// Written before the allow-list existed (or by hand): a host no longer allowed.
	await insert('ok-row-elsewhere', notify.replace('127.0.0.1', 'localhost'));
	await insert('ok-row-allowed', notify);
	await handOff('ok-row-elsewhere');
	await handOff('ok-row-allowed');
	expect([(await rowOf('ok-row-elsewhere'))?.status, (await rowOf('ok-row-allowed'))?.status]).toEqual([
		'Completed',
		'Completed',
	]);
	expect(notified('ok-row-elsewhere')).toEqual([]);
	expect(notified('ok-row-allowed')).toEqual([expect.objectContaining({ status: 'Completed' })]);
});

it('generation stops before marking anything when the service URL in Config is not on serviceHosts', async () => {
	await world.db.admin.query(
		`INSERT INTO gen_tasks (task_id, prompt, status, version, status_at) VALUES ('ok-service-host', 'ok- a plate', 'Pending', 1, NOW(3))`,
	);
	const template = configure(world.generation.template, { serviceHosts: 'generation.example.com' });
	const requestsBefore = world.service.requests.length;
	const result = await world.host.execute(
		{ template, runner: runnerFor(world.nodeTypes, template) },
		{ headers: {}, params: {}, query: {}, body: { taskId: 'ok-service-host' } },
	);
	expect(String(result.error?.message)).toMatch(
		/Config: the host of generationServiceUrl \(127\.0\.0\.1\) is not in serviceHosts/,
	);
	expect(world.service.requests.length).toBe(requestsBefore);
	expect(await rowOf('ok-service-host')).toEqual(expect.objectContaining({ status: 'Pending', version: 1 }));
});

it('Task callback refuses a malformed signature, a missing timestamp and a body that is not UTF-8, before any work', async () => {
	const raw = JSON.stringify({ taskId: 'ok-url-taken', status: 'Failed', version: 99 });
	const now = unixNow();
	const answers = [
		await postCallback(raw, { 'x-timestamp': String(now) }),
		await postCallback(raw, {
			'x-timestamp': String(now),
			'x-signature': signedHeaders(raw, now)['x-signature'].toUpperCase(),
		}),
		await postCallback(raw, { 'x-signature': signedHeaders(raw, now)['x-signature'] }),
		await postCallback(raw, { 'x-timestamp': `${now}.5`, 'x-signature': signedHeaders(raw, now)['x-signature'] }),
	];
	expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
	expect(answers.map((a) => a.json.error)).toEqual([
		'X-Signature must be sha256=<64 lowercase hex digits>',
		'X-Signature must be sha256=<64 lowercase hex digits>',
		'X-Timestamp must be the Unix time of signing, in seconds',
		'X-Timestamp must be the Unix time of signing, in seconds',
	]);
	const latin1 = Buffer.from('{"taskId":"ok-url-taken","status":"Failed","version":99,"error":"caf\xe9"}', 'latin1');
	const notUtf8 = await postCallback(latin1, signedHeaders(latin1.toString('utf8')));
	expect(notUtf8).toEqual({ status: 400, json: { error: 'the body must be UTF-8' } });
	const [[{ n }]] = (await world.db.admin.query('SELECT COUNT(*) AS n FROM gen_task_callbacks')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
	expect(Number(n)).toBe(0);
	expect((await rowOf('ok-url-taken'))?.status).toBe('Completed');
});

it("Task callback answers 503 without MySQL's error text when the result cannot be recorded", async () => {
	await world.db.admin.query(
		`INSERT INTO gen_tasks (task_id, prompt, status, version, status_at) VALUES ('async-db-down', 'x', 'Processing', 3, NOW(3))`,
	);
	const raw = JSON.stringify({ taskId: 'async-db-down', status: 'Completed', version: 3, resultImageUrls: [] });
	await world.db.admin.query('RENAME TABLE gen_tasks TO gen_tasks_away');
	let answer: Awaited<ReturnType<typeof postCallback>>;
	try {
		answer = await postCallback(raw, signedHeaders(raw));
	} finally {
		await world.db.admin.query('RENAME TABLE gen_tasks_away TO gen_tasks');
	}
	expect(answer).toEqual({
		status: 503,
		json: { error: 'the result could not be recorded now: send it again later, signed anew' },
	});
	expect((await rowOf('async-db-down'))?.status).toBe('Processing');
});
