/**
 * The logger handed to the Feishu SDK. Its default logger prints whole failed requests (bodies,
 * headers with tokens); ours passes only short, redacted text to an optional sink.
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';
export type LogSink = (level: LogLevel, message: string) => void;

const TOKEN_PATTERN = /\b([tuo]-[A-Za-z0-9._-]{8,})/g;

/** One log argument as short text: errors by name and message only, never bodies or configs. */
function describe(value: unknown): string {
	if (value instanceof Error) return `${value.name}: ${value.message}`;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return '[object]';
}

export function redact(text: string, secrets: string[]): string {
	let out = text.replace(TOKEN_PATTERN, '[token]');
	for (const secret of secrets) if (secret) out = out.split(secret).join('[secret]');
	return out.length > 300 ? `${out.slice(0, 300)}…` : out;
}

export function createSdkLogger(sink: LogSink | undefined, secrets: string[]) {
	const emit =
		(level: LogLevel) =>
		(...args: unknown[]) => {
			if (!sink) return;
			// The SDK's LoggerProxy passes its arguments as one array.
			const parts = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
			sink(level, redact(parts.map(describe).join(' '), secrets));
		};
	return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug'), trace: emit('trace') };
}
