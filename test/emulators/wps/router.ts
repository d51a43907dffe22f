import { deptRoutes } from './routes/depts';
import { echoRoutes } from './routes/echo';
import { memberRoutes } from './routes/members';
import type { Route } from './routes/route';
import { userRoutes } from './routes/users';

interface Compiled {
	route: Route;
	pattern: RegExp;
	names: string[];
}

/** Literal paths are listed before `{param}` ones, so `GET /v7/users/create` is a 405, not a user read. */
const ROUTES: Route[] = [...echoRoutes, ...deptRoutes, ...memberRoutes, ...userRoutes];

const compiled: Compiled[] = ROUTES.map((route) => {
	const names: string[] = [];
	const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
		names.push(name);
		return '([^/]+)';
	});
	return { route, pattern: new RegExp(`^${source}$`), names };
});

/** Endpoint keys as used by counters and fault plans: `METHOD /path/{template}`. */
export const endpointKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;
export const ENDPOINT_KEYS = ROUTES.map(endpointKey);
export const TOKEN_ENDPOINT_KEY = 'POST /oauth2/token';

export type Match =
	| { kind: 'route'; route: Route; params: Record<string, string> }
	| { kind: 'wrongMethod'; route: Route }
	| { kind: 'none' };

export function matchRoute(method: string, path: string): Match {
	for (const { route, pattern, names } of compiled) {
		const m = pattern.exec(path);
		if (!m) continue;
		if (route.method !== method) return { kind: 'wrongMethod', route };
		const params: Record<string, string> = {};
		names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
		return { kind: 'route', route, params };
	}
	return { kind: 'none' };
}
