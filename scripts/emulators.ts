/**
 * `npm run emulators`: starts the Feishu and WPS emulators standalone, each with a seeded demo
 * tenant, and once both accept requests prints ONE JSON line describing them:
 * {"feishu":{baseUrl, appId, appSecret, appToken, tableId, botWebhookUrl, botSecret, botKeyword},
 *  "wps":{baseUrl, clientId, clientSecret, rootDeptId}}. Runs until killed.
 */
import { startStandaloneFeishu } from '../test/emulators/feishu/standalone';
import { startStandaloneWps } from '../test/emulators/wps/standalone';

async function main(): Promise<void> {
	const [feishu, wps] = await Promise.all([startStandaloneFeishu(), startStandaloneWps()]);
	process.stdout.write(`${JSON.stringify({ feishu, wps })}\n`);
	const stop = () => process.exit(0);
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	setInterval(() => undefined, 1 << 30);
}

main().catch((error) => {
	process.stderr.write(`emulators failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
