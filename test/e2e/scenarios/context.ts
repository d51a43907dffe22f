/**
 * What every scenario (orderSync, taskFlow, wpsSync) needs to deploy its test copies: the n8n server, the owner's REST
 * session, the MariaDB database of the MySQL credential, the Feishu emulator's demo tenant and our credentials in n8n.
 * The e2e tests build it with suite.ts' scenarioContext(); the demo (scripts/real-n8n/demoScenarios.ts) from its own
 * environment.
 */
import type * as mysql from 'mysql2/promise';

import { FeishuAdmin } from '../../emulators/feishu/admin/client';
import type { FieldSpec } from '../../emulators/feishu/types';
import type { FeishuDemo } from '../emulators';
import type { RestClient } from '../realN8n';

export interface ScenarioContext {
	rest: RestClient;
	n8nBaseUrl: string;
	/** an admin connection with the database of the MySQL credential selected */
	db: mysql.Connection;
	feishu: FeishuDemo;
	/** our credentials in n8n by type (mySqlApi, feishuAppApi, ...) */
	credentials: Record<string, { id: string; name: string }>;
	/** distinguishes webhook paths, workflow names and tables when several scenarios share a server */
	prefix: string;
}

/** A table's link as a user pastes it from Feishu (the nodes take the base and the table from it). */
export function bitableLink(appToken: string, tableId: string): string {
	return `https://demo.feishu.cn/base/${appToken}?table=${tableId}`;
}

/** The scenario's own table in the Feishu demo base (id `tbl<prefix><name>`), and its link. */
export async function scenarioTable(
	context: Pick<ScenarioContext, 'feishu' | 'prefix'>,
	name: string,
	primaryField: string,
	fields: FieldSpec[],
): Promise<{ tableId: string; bitableUrl: string }> {
	const { feishu, prefix } = context;
	const tableId = `tbl${prefix.replace(/[^A-Za-z0-9]/g, '')}${name}`;
	await new FeishuAdmin(feishu.baseUrl).createTable({
		appToken: feishu.appToken,
		tableId,
		name: `${name} ${prefix}`,
		primaryField,
		fields,
	});
	return { tableId, bitableUrl: bitableLink(feishu.appToken, tableId) };
}
