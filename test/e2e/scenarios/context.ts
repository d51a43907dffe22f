/**
 * What every scenario (orderSync, taskFlow, wpsSync) needs to deploy its test copies: the n8n server, the owner's REST
 * session, the MariaDB database of the MySQL credential, the Feishu emulator's demo tenant and our credentials in n8n.
 * The e2e tests build it with suite.ts' scenarioContext(); the demo (scripts/real-n8n/demoScenarios.ts) from its own
 * environment.
 */
import type * as mysql from 'mysql2/promise';

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
