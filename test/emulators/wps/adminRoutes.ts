import { FaultPlan, type FaultPlanSpec } from './faults';
import type { RateLimitSetting } from './rateLimit';
import { ENDPOINT_KEYS } from './router';
import { addApp, dump, seedDepts, seedTenant, seedUsers, setApp, setUserStatus } from './seeding';
import { emptyCounters, type EmulatorState } from './state';

type Body = Record<string, any>;

/**
 * Test-only control routes, `POST /__admin/<name>` with a JSON body, kept apart from `/v7/`.
 * Answers are plain JSON (no WPS envelope); a setup mistake answers 400 `{error}`.
 */
export const adminHandlers: Record<string, (state: EmulatorState, body: Body) => unknown> = {
	reset: (state) => {
		state.reset();
		return {};
	},
	seedTenant: (state, body) => seedTenant(state, body as any),
	addApp: (state, body) => {
		addApp(state, body as any);
		return {};
	},
	setApp: (state, body) => {
		setApp(state, body as any);
		return {};
	},
	seedDepts: (state, body) => seedDepts(state.tenantOf(body.clientId), body.depts ?? [], state.now()),
	seedUsers: (state, body) => seedUsers(state.tenantOf(body.clientId), body.users ?? [], state.now()),
	setUserStatus: (state, body) => {
		setUserStatus(state.tenantOf(body.clientId), body.userIds ?? [], body.status);
		return {};
	},
	dump: (state, body) => dump(state.tenantOf(body.clientId)),
	counters: (state) => state.counters,
	resetCounters: (state) => {
		state.counters = emptyCounters();
		return {};
	},
	setFaultPlan: (state, body) => {
		// A typo in an endpoint key would make a plan that never fires and a test that proves nothing.
		const unknown = ((body.endpoints ?? []) as string[]).filter((key) => !ENDPOINT_KEYS.includes(key));
		if (unknown.length)
			throw new Error(`unknown endpoint key(s) ${unknown.join(', ')}; keys look like "POST /v7/depts/create"`);
		state.faultPlan = new FaultPlan({ ...(body as FaultPlanSpec), seed: body.seed ?? state.defaultSeed });
		return {};
	},
	clearFaultPlan: (state) => {
		state.faultPlan = undefined;
		return {};
	},
	setRateLimits: (state, body) => {
		state.rateLimiter.set(body.limits as RateLimitSetting);
		return {};
	},
	setClock: (state, body) => {
		state.clockOffsetMs = Number(body.offsetMs ?? 0);
		return { now: state.now() };
	},
	expireTokens: (state) => {
		state.tokens.expireAll();
		return {};
	},
};
