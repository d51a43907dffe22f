import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import type { BinaryOutput, Row, StatementResult } from '../../../lib/mysql';

/**
 * Appends output items for one statement's results to `out`: one item per row, or one item with
 * the counts of a statement without rows. Every item shares its input item's pairedItem object
 * (cheap for big pages); appended one by one (a spread of a million items overflows the stack).
 */
export async function pushResultItems(
	this: IExecuteFunctions,
	out: INodeExecutionData[],
	results: StatementResult[],
	pairedItem: IPairedItemData,
	binary: BinaryOutput,
): Promise<void> {
	for (const result of results) {
		if (result.kind === 'ok') {
			const json: IDataObject = { affectedRows: result.affectedRows, insertId: result.insertId };
			if (result.changedRows !== undefined) json.changedRows = result.changedRows;
			if (result.warningStatus) json.warnings = result.warningStatus;
			out.push({ json, pairedItem });
			continue;
		}
		if (binary === 'buffer') {
			for (const row of result.rows) out.push(await withBinary.call(this, row, pairedItem));
		} else {
			// Pushed, not pre-sized: setting a length beyond ~100k turns the array into a slow dictionary
			// (see docs/mysql-performance.md), while push grows a packed array at amortised cost.
			const rows = result.rows;
			for (let i = 0; i < rows.length; i++) out.push({ json: rows[i] as IDataObject, pairedItem });
		}
	}
}

/** Moves a row's Buffer values (BLOB, BINARY columns) into n8n binary data named after the column. */
async function withBinary(this: IExecuteFunctions, row: Row, pairedItem: IPairedItemData): Promise<INodeExecutionData> {
	const item: INodeExecutionData = { json: row as IDataObject, pairedItem };
	for (const [column, value] of Object.entries(row)) {
		if (!Buffer.isBuffer(value)) continue;
		item.binary ??= {};
		// A MIME type given up front skips n8n's content sniffing (column data is opaque bytes).
		item.binary[column] = await this.helpers.prepareBinaryData(value, column, 'application/octet-stream');
		delete row[column];
	}
	return item;
}

/** Input item indexes one output item is paired with. */
export function pairedWith(itemIndex: number): IPairedItemData {
	return { item: itemIndex };
}
