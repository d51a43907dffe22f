/**
 * Feishu / Lark Open API emulator: an in-memory HTTP server on 127.0.0.1 serving /open-apis/... as
 * docs/feishu-api.md describes (the contract, with the official pages), plus test-only admin routes under /__admin/.
 * See README.md in this folder for endpoint keys, error statuses and choices made where the spec is silent.
 */
import type { AddressInfo } from 'net';
import { FeishuAdmin } from './admin/client';
import { adminHandler } from './admin/routes';
import { Clock } from './clock';
import { EmulatorCore } from './core';
import { EmulatorHttp } from './http/server';
import type { FeishuEmulatorOptions } from './types';

export { FeishuAdmin } from './admin/client';
export { botSign } from './bot';
export { joinSegments } from './bitable/text';
export * from './types';

export interface FeishuEmulator {
	baseUrl: string;
	admin: FeishuAdmin;
	close(): Promise<void>;
}

export async function startFeishuEmulator(opts: FeishuEmulatorOptions = {}): Promise<FeishuEmulator> {
	const core = new EmulatorCore(
		opts.seed ?? 1,
		new Clock(opts.now ?? Date.now),
		opts.rateLimits ?? 'spec',
		opts.writeLatencyMs ?? 0,
	);
	const http = new EmulatorHttp(core, adminHandler(core));
	await new Promise<void>((resolve, reject) => {
		http.server.once('error', reject);
		http.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = http.server.address() as AddressInfo;
	core.baseUrl = `http://127.0.0.1:${port}`;
	return { baseUrl: core.baseUrl, admin: new FeishuAdmin(core.baseUrl), close: () => http.close() };
}
