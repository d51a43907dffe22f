/**
 * WPS Contacts, bad numeric options: each is refused before the run reads or writes anything, naming
 * the option and what to set; the tenant is as seeded and no sync state was written.
 */
import type { IDataObject } from 'n8n-workflow';
import { type NodeEnv, rows, startNodeEnv, syncWorkflow } from '../wpsContacts/setup';
import { expectClearError } from './expectClearError';

let env: NodeEnv;
beforeAll(async () => {
	env = await startNodeEnv();
});
afterAll(async () => env.close());

const data = rows([['10', '0', 'Sales']], [['e1', 'Ann', '10']]);

const cases: Array<[string, IDataObject, IDataObject, string, RegExp]> = [
	['Concurrency of 0', { concurrency: 0 }, {}, '"Concurrency"', /from 1 to 32/],
	['Concurrency above 32', { concurrency: 33 }, {}, '"Concurrency"', /from 1 to 32/],
	[
		'a Deletion Threshold (%) above 100',
		{ maxDeletionPercent: 150 },
		{},
		'"Deletion Threshold (%)"',
		/from 0 to 100 \(0 = off\)/,
	],
	[
		'a Deletion Threshold (Count) below 0',
		{ maxDeletions: -1 },
		{},
		'"Deletion Threshold (Count)"',
		/a whole number of at least 0/,
	],
	[
		'a Deletion Threshold (Count) that is not a number',
		{ maxDeletions: '={{ "many" }}' },
		{},
		'"Deletion Threshold (Count)"',
		/Set "Deletion Threshold \(Count\)"/,
	],
	['a Change Threshold (%) below 0', { maxChangePercent: -2 }, {}, '"Change Threshold (%)"', /from 0 to 100/],
	[
		'a Change Threshold (Count) that is not whole',
		{ maxChanges: 10.5 },
		{},
		'"Change Threshold (Count)"',
		/a whole number/,
	],
	['a Grace Period below 0', { graceDays: -1 }, {}, '"Grace Period (Days)"', /at least 0/],
	[
		'a Lock Wait that is not a number',
		{ lockWaitSec: '={{ "soon" }}' },
		{},
		'"Lock Wait (Seconds)"',
		/Set "Lock Wait \(Seconds\)"/,
	],
	['Requests Per Second below 0', { ratePerSecond: -3 }, {}, '"Requests Per Second"', /\(0 = no limit\)/],
	['Full Read Every N Runs of 0', {}, { fullEvery: 0 }, '"Full Read Every N Runs"', /a whole number of at least 1/],
];

describe('WPS Contacts refuses bad numeric options before any read or write', () => {
	it.each(cases)('%s', async (_name, options, parameters, field, todo) => {
		const before = await env.emu.admin.dump({ clientId: env.clientId });
		const r = await syncWorkflow({ operation: 'sync', mode: 'incremental', ...parameters }, options).run({
			credentials: env.credentials,
			pinData: data,
		});
		expectClearError(r.error, { item: 0, field, todo });
		expect(await env.emu.admin.dump({ clientId: env.clientId })).toEqual(before);
		const [tables] = await env.db.admin.query('SHOW TABLES');
		expect(tables).toEqual([]);
	});
});
