import { ksoHeaders, ksoSignature, parseKsoAuthorization, signedRequestUri } from '../../../lib/wps/ksoSign';

const base = {
	secretKey: 'sk098765',
	contentType: 'application/json',
	date: 'Mon, 02 Jan 2006 15:04:05 GMT',
};

describe('KSO-1 signature', () => {
	it('matches the spec vector for GET /v7/test?key=value with an empty body', () => {
		expect(ksoSignature({ ...base, method: 'GET', requestUri: '/v7/test?key=value' })).toBe(
			'ce8df66877175e5198c8ea1362ffddf82e4941c6f25a4ca205a1ad09d0faaf03',
		);
	});

	it('matches the spec vector for POST /v7/test/body with {"key": "value"}', () => {
		expect(ksoSignature({ ...base, method: 'POST', requestUri: '/v7/test/body', body: '{"key": "value"}' })).toBe(
			'c46e6c988130818ecba2484d51ac685948fbbef6814602c7874d6bfc41dc17b3',
		);
		// The body hash is over bytes: a Buffer signs the same.
		expect(
			ksoSignature({ ...base, method: 'POST', requestUri: '/v7/test/body', body: Buffer.from('{"key": "value"}') }),
		).toBe('c46e6c988130818ecba2484d51ac685948fbbef6814602c7874d6bfc41dc17b3');
	});

	it('builds the two headers and parses the authorization back', () => {
		const headers = ksoHeaders({ ...base, appId: 'AK123456', method: 'get', requestUri: '/v7/test?key=value' });
		expect(headers).toEqual({
			'X-Kso-Date': base.date,
			'X-Kso-Authorization': 'KSO-1 AK123456:ce8df66877175e5198c8ea1362ffddf82e4941c6f25a4ca205a1ad09d0faaf03',
		});
		expect(parseKsoAuthorization(headers['X-Kso-Authorization'])).toEqual({
			appId: 'AK123456',
			signature: 'ce8df66877175e5198c8ea1362ffddf82e4941c6f25a4ca205a1ad09d0faaf03',
		});
		expect(parseKsoAuthorization('Bearer abc')).toBeUndefined();
	});

	it('signs the path with its query, without the private-deployment prefix when asked', () => {
		const url = new URL('https://wps.corp.example/openapi/v7/depts/root?x=1');
		expect(signedRequestUri(url)).toBe('/openapi/v7/depts/root?x=1');
		expect(signedRequestUri(url, '/openapi')).toBe('/v7/depts/root?x=1');
		expect(signedRequestUri(new URL('https://h/openapix/v7'), '/openapi')).toBe('/openapix/v7');
	});
});
