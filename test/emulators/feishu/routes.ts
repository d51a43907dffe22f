/** Every Open API route the emulator serves, and the matcher. */
import { authRoute } from './auth';
import { fieldRoutes } from './bitable/fields';
import { recordRoutes } from './bitable/records';
import { searchRoute } from './bitable/search';
import { tableRoutes } from './bitable/tables';
import { botRoute } from './bot';
import { botInfoRoute } from './botInfo';
import { contactRoute, wikiRoute } from './directory';
import { downloadRoute, permissionAuthRoute, uploadRoute } from './drive';
import type { Route } from './http/route';
import { subscriptionRoutes } from './longConnection/subscriptions';

export const ROUTES: Route[] = [
	authRoute,
	...tableRoutes,
	...fieldRoutes,
	searchRoute,
	...recordRoutes,
	wikiRoute,
	contactRoute,
	uploadRoute,
	downloadRoute,
	permissionAuthRoute,
	botRoute,
	botInfoRoute,
	...subscriptionRoutes,
];

interface Compiled {
	route: Route;
	re: RegExp;
	names: string[];
}

const compiled: Compiled[] = ROUTES.map((route) => {
	const names: string[] = [];
	const re = new RegExp(
		`^${route.path.replace(/:([a-z_]+)/g, (_, n: string) => {
			names.push(n);
			return '([^/]+)';
		})}/?$`,
	);
	return { route, re, names };
});

export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
	// literal paths (…/records/search, …/batch_create) win over parameterised ones (…/records/:record_id)
	let best: { route: Route; params: Record<string, string>; literal: number } | undefined;
	for (const c of compiled) {
		if (c.route.method !== method) continue;
		const m = c.re.exec(path);
		if (!m) continue;
		const params: Record<string, string> = {};
		c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
		const literal = c.route.path.split('/').filter((s) => s && !s.startsWith(':')).length;
		if (!best || literal > best.literal) best = { route: c.route, params, literal };
	}
	return best && { route: best.route, params: best.params };
}
