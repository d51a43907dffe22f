/** Input item -> target field values: automatic by name (with a rename map and exclusions). */

export interface AutoMapping {
	/** input property -> field name */
	renames?: Record<string, string>;
	/** input properties never written */
	exclude?: string[];
}

export function autoMapItem(json: Record<string, unknown>, mapping: AutoMapping): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const exclude = mapping.exclude?.length ? new Set(mapping.exclude) : undefined;
	for (const name of Object.keys(json)) {
		if (exclude?.has(name)) continue;
		const target = mapping.renames?.[name] ?? name;
		out[target] = json[name];
	}
	return out;
}

/** Parses "a=b, c=d" or "a:b" lines into a rename map (what people type in a node field). */
export function parseRenames(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const part of text.split(/[\n,，]/)) {
		const m = /^\s*([^=:]+?)\s*(?:=>|=|:|->)\s*(.+?)\s*$/.exec(part);
		if (m) out[m[1]] = m[2];
	}
	return out;
}
