/**
 * Error envelope of the emulator. See the mapping documented at the top of index.ts:
 * `code` is the numeric class of the (unverified) public table, `msg` the stable snake_case
 * reason (WPS's own tree/user codes where the spec names one), `detail` a human sentence
 * (private deployments add `detail` too), `data` extra facts some errors carry.
 */
export const CODE = {
	quotaExceeded: 400000001,
	badFormat: 400000002,
	invalidValue: 400000003,
	notFound: 400000004,
	unauthorized: 401000001,
	noPermission: 403000001,
	tooManyRequests: 429000001,
	serverError: 500000004,
} as const;

export class WpsFault extends Error {
	constructor(
		readonly code: number,
		readonly msg: string,
		readonly detail: string,
		readonly data: unknown = null,
	) {
		super(`${code} ${msg}: ${detail}`);
	}
}

/** HTTP status that accompanies each code class. */
export function httpStatusFor(code: number): number {
	if (code === CODE.notFound) return 404;
	const status = Math.floor(code / 1_000_000);
	return status >= 400 && status < 600 ? status : 400;
}

export const fail = {
	format: (detail: string) => new WpsFault(CODE.badFormat, 'invalid_param', detail),
	value: (msg: string, detail: string, data?: unknown) => new WpsFault(CODE.invalidValue, msg, detail, data),
	quota: (msg: string, detail: string) => new WpsFault(CODE.quotaExceeded, msg, detail),
	notFound: (msg: string, detail: string) => new WpsFault(CODE.notFound, msg, detail),
	auth: (msg: string, detail: string) => new WpsFault(CODE.unauthorized, msg, detail),
	scope: (scope: string) =>
		new WpsFault(CODE.noPermission, 'no_permission', `the app lacks scope ${scope}`, { required_scope: scope }),
};
