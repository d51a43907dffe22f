import { InvalidTimeZoneError, parseTimeZone, toIsoDateTime, toMySqlDateTime } from '../../../lib/mysql';

test('offsets and UTC names', () => {
	expect(parseTimeZone(undefined).sessionOffset).toBe('+08:00');
	expect(parseTimeZone('+8:00').sessionOffset).toBe('+08:00');
	expect(parseTimeZone('-0530').sessionOffset).toBe('-05:30');
	expect(parseTimeZone('UTC').sessionOffset).toBe('+00:00');
	expect(() => parseTimeZone('Mars/Olympus')).toThrow(InvalidTimeZoneError);
	expect(() => parseTimeZone('+25:00')).toThrow(InvalidTimeZoneError);
});

test('DATETIME text becomes ISO 8601 with the zone offset; zero dates become null', () => {
	const zone = parseTimeZone('+08:00');
	expect(toIsoDateTime('2024-01-02 03:04:05', zone)).toBe('2024-01-02T03:04:05+08:00');
	expect(toIsoDateTime('2024-01-02 03:04:05.123456', zone)).toBe('2024-01-02T03:04:05.123456+08:00');
	expect(toIsoDateTime('0000-00-00 00:00:00', zone)).toBeNull();
	expect(new Date(toIsoDateTime('2024-01-02 03:04:05', zone)!).toISOString()).toBe('2024-01-01T19:04:05.000Z');
});

test('named zones follow daylight saving time', () => {
	const shanghai = parseTimeZone('Asia/Shanghai');
	expect(shanghai.sessionOffset).toBe('+08:00');
	const newYork = parseTimeZone('America/New_York');
	expect(toIsoDateTime('2024-01-15 12:00:00', newYork)).toBe('2024-01-15T12:00:00-05:00');
	expect(toIsoDateTime('2024-07-15 12:00:00', newYork)).toBe('2024-07-15T12:00:00-04:00');
});

test('Dates bind as wall-clock time in the zone', () => {
	expect(toMySqlDateTime(new Date('2024-01-01T16:30:00.250Z'), parseTimeZone('+08:00'))).toBe(
		'2024-01-02 00:30:00.250',
	);
	expect(toMySqlDateTime(new Date('2024-07-15T16:00:00Z'), parseTimeZone('America/New_York'))).toBe(
		'2024-07-15 12:00:00.000',
	);
});
