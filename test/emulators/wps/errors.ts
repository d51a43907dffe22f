/**
 * Error envelope of the emulator, as WPS answers it (docs/wps-api.md, "Errors"): `{code, msg}` where
 * `code` is the numeric class and `msg` human text ("Permission denied", "业务参数错误"), never a
 * reason code. The stable snake_case `reason` stays inside the emulator: its own tests read it from
 * the `x-emulator-reason` header, which no client code may read.
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
		/** The emulator's own reason (snake_case): tests only, never on the wire body. */
		readonly reason: string,
		readonly detail: string,
	) {
		super(`${code} ${reason}: ${detail}`);
	}

	/** What WPS would put in `msg`: a sentence in Chinese and English, different for every detail. */
	get msg(): string {
		return `${HUMAN_PREFIX[this.code] ?? '请求失败 Request failed'}: ${this.detail}`;
	}
}

const HUMAN_PREFIX: Record<number, string> = {
	[CODE.quotaExceeded]: '超出限制 Limit exceeded',
	[CODE.badFormat]: '参数格式错误 Invalid request format',
	[CODE.invalidValue]: '业务参数错误',
	[CODE.notFound]: '资源不存在 Not found',
	[CODE.unauthorized]: '认证失败 Unauthorized',
	[CODE.noPermission]: 'Permission denied 权限不足',
	[CODE.tooManyRequests]: '请求过于频繁 Too many requests',
	[CODE.serverError]: '服务器内部错误 Internal error',
};

/** HTTP status that accompanies each code class. */
export function httpStatusFor(code: number): number {
	if (code === CODE.notFound) return 404;
	const status = Math.floor(code / 1_000_000);
	return status >= 400 && status < 600 ? status : 400;
}

export const fail = {
	format: (detail: string) => new WpsFault(CODE.badFormat, 'invalid_param', detail),
	value: (reason: string, detail: string) => new WpsFault(CODE.invalidValue, reason, detail),
	quota: (reason: string, detail: string) => new WpsFault(CODE.quotaExceeded, reason, detail),
	notFound: (reason: string, detail: string) => new WpsFault(CODE.notFound, reason, detail),
	auth: (reason: string, detail: string) => new WpsFault(CODE.unauthorized, reason, detail),
	scope: (scope: string) => new WpsFault(CODE.noPermission, 'no_permission', `the app lacks scope ${scope}`),
};
