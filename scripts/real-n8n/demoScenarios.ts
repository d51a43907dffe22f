/**
 * The demo's working copies of the templates, wired to the emulators and the demo database (the same scenario
 * code the e2e suite asserts on): the MySQL -> Bitable sync over a seeded `orders` table, and the generation-task
 * chain with a local stand-in generation service. A part whose template or backend is missing is reported as
 * unavailable, with the reason, instead of being skipped silently.
 */
import { setUpOrderSync, syncTemplateMissing, SYNC_TEMPLATE, type OrderSync } from '../../test/e2e/scenarios/orderSync';
import { setUpTaskFlow, taskTemplatesMissing, type TaskFlow } from '../../test/e2e/scenarios/taskFlow';
import { setUpWpsSync, wpsTemplateMissing, WPS_TEMPLATE, type WpsSync } from '../../test/e2e/scenarios/wpsSync';
import type { RestClient } from '../../test/e2e/realN8n';
import type { DemoEnvironment } from './demoEnvironment';

export const DEMO_ORDERS = 200;

export type Part<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface DemoScenarios {
	orderSync: Part<OrderSync>;
	taskFlow: Part<TaskFlow>;
	wps: Part<WpsSync>;
	close(): Promise<void>;
}

function needs(env: DemoEnvironment, backends: Array<'feishu' | 'wps'>, types: string[]): string | undefined {
	for (const backend of backends)
		if (!env.emulators[backend]) return `${backend} emulator: ${env.emulators.missing[backend]}`;
	const missing = types.filter((type) => !env.credentials[type]);
	return missing.length ? `credentials not available: ${missing.join(', ')}` : undefined;
}

async function attempt<T>(blocked: string | undefined, setUp: () => Promise<T>): Promise<Part<T>> {
	if (blocked) return { ok: false, reason: blocked };
	try {
		return { ok: true, value: await setUp() };
	} catch (error) {
		return { ok: false, reason: `set-up failed: ${(error as Error).message}` };
	}
}

export async function setUpDemoScenarios(
	env: DemoEnvironment,
	rest: RestClient,
	n8nBaseUrl: string,
): Promise<DemoScenarios> {
	const common = { rest, n8nBaseUrl, db: env.db, credentials: env.credentials, prefix: 'demo' };
	const orderSync = await attempt(
		syncTemplateMissing()
			? `workflows/${SYNC_TEMPLATE} is not written yet`
			: needs(env, ['feishu'], ['mySqlApi', 'feishuAppApi']),
		() => setUpOrderSync({ ...common, feishu: env.emulators.feishu!, rows: DEMO_ORDERS }),
	);
	const missingTasks = taskTemplatesMissing();
	const taskFlow = await attempt(
		missingTasks.length
			? `not written yet: ${missingTasks.join(', ')}`
			: needs(env, ['feishu'], ['mySqlApi', 'feishuAppApi']),
		() => setUpTaskFlow({ ...common, feishu: env.emulators.feishu! }),
	);
	const wps = await attempt(
		wpsTemplateMissing()
			? `workflows/${WPS_TEMPLATE} is not written yet`
			: needs(env, ['feishu', 'wps'], ['mySqlApi', 'wps365Api', 'feishuBotWebhookApi']),
		() => setUpWpsSync({ ...common, feishu: env.emulators.feishu!, wps: env.emulators.wps! }),
	);
	return {
		orderSync,
		taskFlow,
		wps,
		close: async () => {
			if (taskFlow.ok) await taskFlow.value.close();
		},
	};
}
