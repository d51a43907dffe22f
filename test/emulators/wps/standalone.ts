import { startWpsEmulator } from './index';

export interface StandaloneWps {
	baseUrl: string;
	clientId: string;
	clientSecret: string;
	rootDeptId: string;
	close(): Promise<void>;
}

/** An emulator with one seeded tenant holding only its root, for `npm run emulators`. */
export async function startStandaloneWps(opts: { port?: number } = {}): Promise<StandaloneWps> {
	const emulator = await startWpsEmulator({ port: opts.port });
	const clientId = 'wps-demo-app';
	const clientSecret = 'wps-demo-secret';
	const { rootDeptId } = await emulator.admin.seedTenant({ clientId, clientSecret, rootName: 'Demo Company' });
	return { baseUrl: emulator.baseUrl, clientId, clientSecret, rootDeptId, close: emulator.close };
}
