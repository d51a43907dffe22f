/**
 * Names from parameters or remote data used as keys of plain objects (watermark names, static-data
 * state, file tokens). Assigning `obj["__proto__"]` replaces the object's prototype, and inherited
 * names (`constructor`, `toString`) read as if present; so lookups take own properties only and the
 * names that reach the prototype are refused as names.
 */

const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a name would reach an object's prototype machinery instead of an ordinary property. */
export function isPrototypeName(name: string): boolean {
	return PROTOTYPE_NAMES.has(name);
}

/** The object's own value for `key` (never an inherited one). */
export function ownValue<T>(object: Record<string, T> | undefined, key: string): T | undefined {
	return object && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}
