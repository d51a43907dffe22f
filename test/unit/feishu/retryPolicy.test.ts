import { RetriesExhaustedError } from '../../../lib/sync';
import { FeishuApiError, FeishuNetworkError } from '../../../lib/feishu';
import { classifyFeishuError, countsAsOutage } from '../../../lib/feishu/retryPolicy';

const api = (code: number | undefined, status = 200, reset?: number) => new FeishuApiError(code, 'x', 'bitable.records.search', status, undefined, reset);

describe('Feishu retry policy', () => {
	it.each([99991400, 1254290, 1254291, 1254607, 1255001, 1255002, 1255040])('retries %i', (code) => {
		expect(classifyFeishuError(api(code)).retry).toBe(true);
	});

	it.each([91403, 99991672, 1254040, 1254041, 1254043, 1254045, 1254060, 1254104, 10014])('never retries %i', (code) => {
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
});
