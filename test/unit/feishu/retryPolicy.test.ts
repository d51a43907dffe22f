import { RetriesExhaustedError } from '../../../lib/resilience';
import { FeishuApiError, FeishuNetworkError } from '../../../lib/feishu';
import { classifyFeishuError, countsAsOutage, mayHaveBeenApplied } from '../../../lib/feishu/retryPolicy';

const api = (code: number | undefined, status = 200, reset?: number) =>
	new FeishuApiError(code, 'x', 'bitable.records.search', status, undefined, reset);

describe('Feishu retry policy', () => {
	// 1254036 base being copied, 1255003-1255005 internal, 1254608 same client_token in flight (docs/feishu-api.md)
	it.each([
		99991400, 1254290, 1254291, 1254607, 1254036, 1254608, 1255001, 1255002, 1255003, 1255004, 1255005, 1255040,
	])('retries %i', (code) => {
		expect(classifyFeishuError(api(code)).retry).toBe(true);
	});

	it.each([
		91403, 99991672, 1254040, 1254041, 1254043, 1254045, 1254060, 1254104, 10014, 1255006, 1254018, 1254107, 1254030,
	])('never retries %i', (code) => {
		expect(classifyFeishuError(api(code, 400)).retry).toBe(false);
	});

	it('retries 5xx without a Feishu code, and network errors', () => {
		expect(classifyFeishuError(api(undefined, 502)).retry).toBe(true);
		expect(classifyFeishuError(new FeishuNetworkError('x', 'timeout', 'slow')).retry).toBe(true);
		expect(classifyFeishuError(new Error('bug')).retry).toBe(false);
	});

	it('waits at least the gateway reset after a 429', () => {
		expect(classifyFeishuError(api(99991400, 429, 3))).toEqual({ retry: true, minDelayMs: 3000 });
		expect(classifyFeishuError(api(99991400, 429))).toEqual({ retry: true, minDelayMs: 1000 });
	});

	it('counts only exhausted or transient failures towards the circuit breaker', () => {
		expect(countsAsOutage(new RetriesExhaustedError(6, api(1254290)))).toBe(true);
		expect(countsAsOutage(api(91403, 403))).toBe(false);
	});

	it('treats timeouts, lost connections, 5xx, 1255040 and 1254608 as "maybe applied", business errors not', () => {
		expect(mayHaveBeenApplied(new FeishuNetworkError('x', 'timeout', 'slow'))).toBe(true);
		expect(mayHaveBeenApplied(api(1254608, 403))).toBe(true);
		expect(mayHaveBeenApplied(api(1255040, 504))).toBe(true);
		expect(mayHaveBeenApplied(api(undefined, 502))).toBe(true);
		expect(mayHaveBeenApplied(api(1255006, 400))).toBe(false);
		expect(mayHaveBeenApplied(api(1254060))).toBe(false);
	});
});
