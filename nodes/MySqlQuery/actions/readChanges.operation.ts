import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { BinaryOutput, NumberOutput, PageSpec, RowsResult, SessionCounters } from '../../../lib/mysql';
import {
	MySqlSession,
	TIE_ALIAS,
	WATERMARK_ALIAS,
	buildPageQuery,
	diffCounters,
	endOfPage,
	readSessionCounters,
	tieBreakerProblem,
	uniqueIndexQuery,
	watermarkConfigKey,
	withStatement,
	type UniqueIndexRow,
} from '../../../lib/mysql';
import { checkedNumber, numberParameter } from '../../shared/parameters';
import { toNodeError } from '../../shared/errors';
import { pairedWith, pushResultItems } from '../helpers/items';
import type { MySqlContext } from '../transport';
import { valueOptions } from './common.descriptions';
import { openWatermarkStore, watermarkName } from './watermarkStore';

const show = { operation: ['readChanges'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Outputs the rows changed since the committed watermark, at most Max Rows per Run, ordered by the watermark column and the tie-breaker. Put a Commit Watermark step (same name) at the end of the workflow: only then does the next run continue after these rows. If the run fails before it, the next run reads the same rows again.',
		name: 'readChangesNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Table',
		name: 'table',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. orders or shop.orders',
		description: 'Table or view to read (database.table allowed)',
		displayOptions: { show },
	},
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'string',
		default: '*',
		placeholder: 'e.g. order_no, amount, updated_at',
		description: 'Comma-separated columns to output, or * for all',
		displayOptions: { show },
	},
	{
		displayName: 'Watermark Column',
		name: 'watermarkColumn',
		type: 'string',
		default: 'updated_at',
		required: true,
		description:
			'Column that grows when a row is added or changed, e.g. updated_at or an auto-increment ID. Rows where it is NULL are never read. Index (watermark column, tie-breaker) for speed.',
		displayOptions: { show },
	},
	{
		displayName: 'Tie-Breaker Column',
		name: 'tieBreakerColumn',
		type: 'string',
		default: 'id',
		required: true,
		description:
			"A unique column (usually the primary key) that orders rows sharing a watermark value, so none is skipped or read twice between pages. Use the watermark column itself if it is unique. Checked against the table's unique indexes before reading (a view must name one).",
		displayOptions: { show },
	},
	{
		displayName: 'Max Rows per Run',
		name: 'maxRows',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10000,
		description:
			'Rows read per execution at most; a backlog (such as a first full load) continues a page per execution with the same memory',
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
				displayName: 'Condition',
				name: 'condition',
				type: 'string',
				default: '',
				placeholder: 'e.g. status <> ? AND shop_id = ?',
				description: 'Extra SQL condition rows must meet, with ? for each Condition Parameter',
			},
			{
				displayName: 'Condition Parameters',
				name: 'conditionParameters',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ ["deleted", 7] }}',
				description: 'A list of values for the ? in Condition (an expression giving an array, or one value)',
			},
			{
				displayName: 'Overlap (Seconds)',
				name: 'overlap',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Once caught up, re-read rows this far behind the watermark (in the column’s units for a numeric column), for rows committed late. Harmless when the next steps are idempotent.',
			},
			{
				displayName: 'Start Value',
				name: 'startValue',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2024-01-01 00:00:00',
				description:
					'Where to begin when nothing is committed yet (rows with at least this value). Changing it, the table, the watermark column or the tie-breaker starts the watermark over.',
			},
			...valueOptions,
		],
	},
];

function conditionValues(raw: unknown): unknown[] {
	if (raw === undefined || raw === null || raw === '') return [];
	return Array.isArray(raw) ? raw : [raw];
}

export async function execute(this: IExecuteFunctions, { pool, cred }: MySqlContext): Promise<INodeExecutionData[]> {
	const name = watermarkName.call(this);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const binary = (options.binary as BinaryOutput) ?? 'base64';
	const spec: PageSpec = {
		table: this.getNodeParameter('table', 0) as string,
		columns: (this.getNodeParameter('columns', 0, '*') as string) || '*',
		watermarkColumn: this.getNodeParameter('watermarkColumn', 0) as string,
		tieBreaker: (this.getNodeParameter('tieBreakerColumn', 0, '') as string) ?? '',
		condition: (options.condition as string) || undefined,
		conditionValues: conditionValues(options.conditionParameters),
		startValue: options.startValue === undefined ? undefined : String(options.startValue),
		overlap: checkedNumber(this.getNode(), options.overlap, 0, { label: 'Overlap (Seconds)', min: 0 }, 0),
		limit: numberParameter(this, 'maxRows', 0, { label: 'Max Rows per Run', min: 1, integer: true }, 10000),
	};
	const debug = this.getNodeParameter('debugServerCounters', 0, false) === true;
	const session = new MySqlSession(pool, cred, { numbers: (options.numbers as NumberOutput) ?? 'text', binary });
	let sql: string | undefined;
	try {
		const config = watermarkConfigKey(spec);
		const store = openWatermarkStore.call(this, session);
		const state = await store.load(name);
		const committed = state.committed?.config === config ? state.committed.position : undefined;
		const statement = buildPageQuery(spec, committed, session.values.zone);
		const connection = await session.connect();
		const check = uniqueIndexQuery(spec.table);
		const [indexRows] = await connection.query(check.sql, check.values);
		const problem = tieBreakerProblem(spec, indexRows as UniqueIndexRow[]);
		if (problem) {
			throw new NodeOperationError(this.getNode(), `Item 0: "Tie-Breaker Column": ${problem}`, {
				itemIndex: 0,
				description:
					'Nothing was read. Set Tie-Breaker Column to the primary key or another column with a UNIQUE index (the watermark column itself only if it is unique, such as an auto-increment ID).',
			});
		}
		sql = statement.sql;
		const before = debug ? await readSessionCounters(connection) : undefined;
		const [page] = (await session.run(statement, {
			maxRows: spec.limit,
			rawColumns: new Set([WATERMARK_ALIAS, TIE_ALIAS]),
		})) as RowsResult[];
		// The page query is capped by LIMIT, so the session keeps its connection for the counters.
		const serverCounters: SessionCounters | undefined = before
			? diffCounters(before, await readSessionCounters(await session.connect()))
			: undefined;
		const position = endOfPage(page.rows, page.fields, spec.limit);
		const executionId = this.getExecutionId();
		const now = new Date().toISOString();
		await store.recordRead(
			name,
			position ? { executionId, position, config, rows: page.rows.length, readAt: now } : undefined,
			{
				executionId,
				rows: page.rows.length,
				full: page.rows.length >= spec.limit,
				at: now,
				...(serverCounters ? { serverCounters } : {}),
			},
		);
		const out: INodeExecutionData[] = [];
		await pushResultItems.call(this, out, [page], pairedWith(0), binary);
		return out;
	} catch (err) {
		throw toNodeError(this.getNode(), withStatement(err, sql), 0);
	} finally {
		session.release();
	}
}
