import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { BinaryOutput, BoundStatement, NumberOutput } from '../../../lib/mysql';
import { MySqlConnectionError, MySqlSession, bindStatements, withStatement } from '../../../lib/mysql';
import { checkedNumber } from '../../shared/parameters';
import { failedItem } from '../../shared/failedItem';
import { toNodeError, type NodeError } from '../../shared/errors';
import { pairedWith, pushResultItems } from '../helpers/items';
import type { MySqlContext } from '../transport';
import { valueOptions } from './common.descriptions';

const show = { operation: ['executeQuery'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { editor: 'sqlEditor', sqlDialect: 'MySQL' },
		default: '',
		required: true,
		placeholder: 'e.g. SELECT * FROM orders WHERE customer_id = ? AND created_at >= ?',
		description:
			'SQL with a ? for each value in Query Parameters. Values are sent to the server apart from the SQL, never pasted into it.',
		hint: 'Put values in Query Parameters (one per ?), not in the SQL text',
		displayOptions: { show },
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Value',
		default: {},
		description:
			'Values for the ? placeholders, in order. Expressions allowed; a list value fills IN (?) with one value per element.',
		displayOptions: { show },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Value bound to the next ?, usually an expression reading the input item',
					},
				],
			},
		],
	},
	{
		displayName: 'Run',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Once per Item', value: 'eachItem', description: 'Each input item binds its own values' },
			{ name: 'Once for All Items', value: 'once', description: 'One run with the first item’s values' },
		],
		default: 'eachItem',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Allow Multiple Statements',
				name: 'allowMultipleStatements',
				type: 'boolean',
				default: false,
				description:
					'Whether a query may hold several statements separated by ; (run one after another on one connection)',
			},
			{
				displayName: 'Max Rows',
				name: 'maxRows',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Stop reading a result after this many rows (0: no limit). Not with several statements.',
			},
			...valueOptions,
		],
	},
];

/** Reads the Query Parameters of one item as plain values (expressions already evaluated). */
function parameterValues(this: IExecuteFunctions, itemIndex: number): unknown[] {
	const list = this.getNodeParameter('queryParameters.values', itemIndex, []) as Array<{ value?: unknown }>;
	return list.map((entry) => entry.value ?? null);
}

/** One item's bound statements and row cap, or a NodeOperationError naming the item and the field. */
function prepareItem(
	this: IExecuteFunctions,
	i: number,
	zone: MySqlSession['values']['zone'],
): { statements: BoundStatement[]; maxRows?: number } {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const statements = bindStatements(this.getNodeParameter('query', i) as string, parameterValues.call(this, i), {
		allowMultipleStatements: options.allowMultipleStatements === true,
		zone,
	});
	const maxRows =
		checkedNumber(
			this.getNode(),
			options.maxRows,
			i,
			{ label: 'Max Rows', min: 0, integer: true, hint: '0 = no limit' },
			0,
		) || undefined;
	if (maxRows !== undefined && statements.length > 1) {
		// Which statement would the cap stop? Refused rather than guessed.
		throw new NodeOperationError(
			this.getNode(),
			`Item ${i}: "Max Rows" cannot be used with several statements (the query has ${statements.length})`,
			{
				itemIndex: i,
				description:
					'Nothing was run. Remove "Max Rows" and put a LIMIT in each statement, or run the statements in separate MySQL Query nodes.',
			},
		);
	}
	return { statements, maxRows };
}

export async function execute(this: IExecuteFunctions, { pool, cred }: MySqlContext): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const runs = this.getNodeParameter('mode', 0, 'eachItem') === 'once' ? Math.min(1, items.length) : items.length;
	const first = this.getNodeParameter('options', 0, {}) as IDataObject;
	const binary = (first.binary as BinaryOutput) ?? 'base64';
	const session = new MySqlSession(pool, cred, { numbers: (first.numbers as NumberOutput) ?? 'text', binary });
	// Every item's statements and options are checked before the first one runs: a bad second item must
	// not leave the first one's INSERT behind (with Continue On Fail it becomes an error item instead).
	const prepared: Array<{ statements: BoundStatement[]; maxRows?: number } | { error: NodeError }> = [];
	for (let i = 0; i < runs; i++) {
		try {
			prepared.push(prepareItem.call(this, i, session.values.zone));
		} catch (err) {
			const error = toNodeError(this.getNode(), err, i);
			if (!this.continueOnFail()) throw error;
			prepared.push({ error });
		}
	}
	const out: INodeExecutionData[] = [];
	try {
		for (let i = 0; i < runs; i++) {
			const plan = prepared[i];
			if ('error' in plan) {
				out.push(failedItem(this.getNode(), plan.error, i));
				continue;
			}
			let sql: string | undefined;
			try {
				for (const statement of plan.statements) {
					sql = statement.sql;
					const results = await session.run(statement, { maxRows: plan.maxRows });
					await pushResultItems.call(this, out, results, pairedWith(i), binary);
				}
			} catch (err) {
				const error = toNodeError(this.getNode(), withStatement(err, sql), i);
				// A connection that cannot be made fails every item alike: stop instead of retrying per item.
				if (!this.continueOnFail() || err instanceof MySqlConnectionError) {
					if (this.continueOnFail()) {
						for (let j = i; j < runs; j++) out.push(failedItem(this.getNode(), error, j));
						return out;
					}
					throw error;
				}
				out.push(failedItem(this.getNode(), error, i));
			}
		}
	} finally {
		session.release();
	}
	return out;
}
