/**
 * Error envelope of the emulator, as WPS answers it (docs/wps-api.md, "Errors"): `{code, msg}` where
 * `code` is the numeric class and `msg` human text ("Permission denied", "业务参数错误"), never a
 * reason code. The stable snake_case `reason` stays inside the emulator: its own tests read it from
 * the `x-emulator-reason` header, which no client code may read.
 */
/** Each code class the emulator answers, with the sentence that opens its `msg`. */
const CLASSES = {
	quotaExceeded: { code: 400000001, msg: '超出限制 Limit exceeded' },
	badFormat: { code: 400000002, msg: '参数格式错误 Invalid request format' },
	invalidValue: { code: 400000003, msg: '业务参数错误' },
	notFound: { code: 400000004, msg: '资源不存在 Not found' },
	unauthorized: { code: 401000001, msg: '认证失败 Unauthorized' },
	noPermission: { code: 403000001, msg: 'Permission denied 权限不足' },
	tooManyRequests: { code: 429000001, msg: '请求过于频繁 Too many requests' },
	serverError: { code: 500000004, msg: '服务器内部错误 Internal error' },
} as const;

export const CODE = Object.fromEntries(Object.entries(CLASSES).map(([name, { code }]) => [name, code])) as {
	readonly [Name in keyof typeof CLASSES]: (typeof CLASSES)[Name]['code'];
};

const HUMAN_PREFIX = new Map<number, string>(Object.values(CLASSES).map(({ code, msg }) => [code, msg]));

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
		return `${HUMAN_PREFIX.get(this.code) ?? '请求失败 Request failed'}: ${this.detail}`;
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
	value: (reason: string, detail: string) => new WpsFault(CODE.invalidValue, reason, detail),
	quota: (reason: string, detail: string) => new WpsFault(CODE.quotaExceeded, reason, detail),
	notFound: (reason: string, detail: string) => new WpsFault(CODE.notFound, reason, detail),
	auth: (reason: string, detail: string) => new WpsFault(CODE.unauthorized, reason, detail),
	scope: (scope: string) => new WpsFault(CODE.noPermission, 'no_permission', `the app lacks scope ${scope}`),
};
