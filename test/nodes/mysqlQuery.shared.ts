import type { INodeParameters } from 'n8n-workflow';
import { HarnessNodeTypes, MANUAL_TRIGGER, WorkflowRunner, type HarnessNode, type TestDatabase } from '../harness';
import { MySqlQuery } from '../../nodes/MySqlQuery/MySqlQuery.node';

/** Node types with our MySQL Query node registered (plus every n8n-nodes-base node by type). */
export const nodeTypes = new HarnessNodeTypes();
export const MYSQL_QUERY = nodeTypes.register(MySqlQuery);

/** Start -> one MySQL Query node named "SQL". */
export function queryRunner(parameters: INodeParameters, extra: Partial<HarnessNode> = {}): WorkflowRunner {
	return new WorkflowRunner(nodeTypes, {
		nodes: [MANUAL_TRIGGER, { name: 'SQL', type: MYSQL_QUERY, parameters, credentials: ['mySqlApi'], ...extra }],
		connections: [['Start', 'SQL']],
	});
}

/** Connections the server still has open for the test database's user (the node must close its pool). */
export async function openConnections(db: TestDatabase): Promise<number> {
	const [rows] = await db.admin.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?', [
		db.credentials.user,
	]);
	return Number((rows as Array<{ n: number }>)[0].n);
}

/** Waits (briefly, in small steps) until the server has dropped the node's connections. */
export async function expectNoOpenConnections(db: TestDatabase): Promise<void> {
	for (let i = 0; i < 100 && (await openConnections(db)) > 0; i++) await new Promise((r) => setTimeout(r, 10));
	expect(await openConnections(db)).toBe(0);
}
