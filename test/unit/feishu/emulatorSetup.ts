/** Test setup shared by the transport suites: an emulator with one app, one base and one table. */
import {
	startFeishuEmulator,
	type FeishuEmulator,
	type FeishuEmulatorOptions,
	type FieldSpec,
} from '../../emulators/feishu';
import {
	FeishuRegistry,
	feishuSession,
	type FeishuAppConfig,
	type FeishuSession,
	type FeishuSessionOptions,
} from '../../../lib/feishu';
import { systemClock } from '../../../lib/resilience';
import { DEFAULT_TIME_ZONE } from '../../../lib/defaults';

export const APP = { appId: 'cli_transport_app', appSecret: 'transport-secret-value' };
export const APP_TOKEN = 'bascnTransportBase0000001';

export const FIELDS: FieldSpec[] = [
	{ field_name: 'Key', type: 1 },
	{ field_name: 'Amount', type: 2 },
	{ field_name: 'Note', type: 1 },
];

/**
 * An emulator (seed 11 and no rate limits unless `opts` say otherwise) holding `app` added to the base `appToken`:
 * where every Feishu suite starts.
 */
export async function startAppInBase(
	app: { appId: string; appSecret: string; name?: string },
	appToken: string,
	opts: FeishuEmulatorOptions & { baseName?: string } = {},
): Promise<FeishuEmulator> {
	const { baseName, ...emulatorOptions } = opts;
	const emu = await startFeishuEmulator({ seed: 11, rateLimits: 'off', ...emulatorOptions });
	await emu.admin.createApp(app);
	await emu.admin.createBase({ appToken, name: baseName, apps: [app.appId] });
	return emu;
}

/** The Feishu App credential n8n would hold for `app` on this emulator (custom region, the default time zone). */
export function appCredential(app: { appId: string; appSecret: string }, emu: FeishuEmulator) {
	return {
		appId: app.appId,
		appSecret: app.appSecret,
		region: 'custom',
		baseUrl: emu.baseUrl,
		timeZone: DEFAULT_TIME_ZONE,
	};
}

export interface Setup {
	emu: FeishuEmulator;
	tableId: string;
	config: FeishuAppConfig;
	/** A session with its own process-level state (so suites do not share limiters or tokens). */
	session(config?: Partial<FeishuAppConfig>, options?: FeishuSessionOptions): FeishuSession;
	close(): Promise<void>;
}

export async function startSetup(opts: FeishuEmulatorOptions = {}, fields: FieldSpec[] = FIELDS): Promise<Setup> {
	const emu = await startAppInBase(APP, APP_TOKEN, { baseName: 'Transport', ...opts });
	const tableId = await emu.admin.createTable({ appToken: APP_TOKEN, name: 'Main', fields, primaryField: 'Key' });
	const config: FeishuAppConfig = { ...APP, baseUrl: emu.baseUrl };
	const registry = new FeishuRegistry(systemClock);
	return {
		emu,
		tableId,
		config,
		session: (overrides = {}, options = {}) => feishuSession({ ...config, ...overrides }, { registry, ...options }),
		close: () => emu.close(),
	};
}
