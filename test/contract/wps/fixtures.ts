import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

/** One documented answer of WPS (test/fixtures/wps): which call, which page, and the response as the page shows it. */
export interface WpsFixture {
	endpoint: string;
	source: string;
	status: number;
	response: { code: number; msg: string; data?: unknown };
}

const DIR = join(__dirname, '..', '..', 'fixtures', 'wps');

export const FIXTURE_NAMES = readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.map((f) => f.replace(/\.json$/, ''))
	.sort();

export function fixture(name: string): WpsFixture {
	return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as WpsFixture;
}

/**
 * The key structure of a JSON value: objects by their keys (recursively), arrays by the shapes of their items
 * (all items must share one), scalars by type. Two answers with the same shape carry exactly the same keys.
 */
export function shapeOf(value: unknown): unknown {
	if (Array.isArray(value)) {
		const shapes = [...new Set(value.map((v) => JSON.stringify(shapeOf(v))))];
		return shapes.map((s) => JSON.parse(s));
	}
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value)
				.sort()
				.map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]),
		);
	}
	return value === null ? 'null' : typeof value;
}
