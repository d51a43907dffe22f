import type { IExecuteFunctions } from 'n8n-workflow';
import type { MySqlSession, WatermarkStore } from '../../../lib/mysql';
import { MySqlTableWatermarkStore, StaticDataWatermarkStore } from '../../../lib/mysql';

/** The store the node's Watermark Store parameter names. */
export function openWatermarkStore(this: IExecuteFunctions, session: MySqlSession): WatermarkStore {
	const kind = this.getNodeParameter('watermarkStore', 0, 'staticData') as string;
	if (kind === 'mysqlTable') {
		const database = (this.getNodeParameter('stateDatabase', 0, '') as string) || session.cred.database || '';
		const table = (this.getNodeParameter('stateTable', 0, 'n8n_watermarks') as string) || 'n8n_watermarks';
		return new MySqlTableWatermarkStore(() => session.connect(), database, table);
	}
	return new StaticDataWatermarkStore(this.getWorkflowStaticData('global'));
}

/** The watermark name, trimmed; required. */
export function watermarkName(this: IExecuteFunctions): string {
	return String(this.getNodeParameter('watermarkName', 0, '')).trim();
}
