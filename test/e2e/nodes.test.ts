/** The editor loads the package: node and credential types are served with their parameters and icons. */
import { packageTypes, PACKAGE_NAME } from './realN8n';
import { loadSuite, type Suite } from './suite';

const types = packageTypes();

let suite: Suite;
let nodeTypes: Array<Record<string, any>>;
let credentialTypes: Array<Record<string, any>>;
beforeAll(async () => {
	suite = await loadSuite();
	nodeTypes = (await suite.rest.request('GET', '/types/nodes.json')).data;
	credentialTypes = (await suite.rest.request('GET', '/types/credentials.json')).data;
});

/** Icon URLs of a node or credential type as served (a string, or light/dark variants). */
function iconUrls(type: Record<string, any>): string[] {
	const { iconUrl } = type;
	if (!iconUrl) return [];
	return typeof iconUrl === 'string' ? [iconUrl] : Object.values(iconUrl as Record<string, string>);
}

async function expectSvg(url: string): Promise<void> {
	const response = await fetch(`${suite.instance.baseUrl}/${url.replace(/^\//, '')}`, {
		headers: { cookie: suite.rest.cookieHeader },
	});
	const body = await response.text();
	expect({ url, status: response.status }).toEqual({ url, status: 200 });
	expect(response.headers.get('content-type') ?? '').toMatch(/image\/svg\+xml/);
	expect(body).toMatch(/<svg[\s>]/);
}

if (types.nodes.length === 0) it.skip('package.json lists no nodes yet', () => undefined);
if (types.credentials.length === 0) it.skip('package.json lists no credentials yet', () => undefined);

for (const { type, displayName } of types.nodes)
	describe(`node ${type}`, () => {
		it('is listed in /types/nodes.json with its parameters', () => {
			const versions = nodeTypes.filter((node) => node.name === type);
			expect(versions.map((node) => node.displayName)).toContain(displayName);
			for (const version of versions) expect(version.properties.length).toBeGreaterThan(0);
		});

		it('has an icon served as SVG', async () => {
			const listed = nodeTypes.find((node) => node.name === type)!;
			const urls = iconUrls(listed);
			expect(urls.length).toBeGreaterThan(0);
			for (const url of urls) await expectSvg(url);
		});
	});

for (const { name, displayName } of types.credentials)
	describe(`credential ${name}`, () => {
		it('is listed in /types/credentials.json with its fields, icons served as SVG', async () => {
			const listed = credentialTypes.find((credential) => credential.name === name);
			expect(listed?.displayName).toBe(displayName);
			expect(listed!.properties.length).toBeGreaterThan(0);
			for (const url of iconUrls(listed!)) await expectSvg(url);
		});
	});

it(`loads no node type of ${PACKAGE_NAME} that package.json does not declare`, () => {
	const declared = types.nodes.map((node) => node.type);
	// n8n adds a `<name>Tool` variant of every node marked usableAsTool.
	const ours = nodeTypes
		.map((node) => String(node.name))
		.filter((name) => name.startsWith(`${PACKAGE_NAME}.`))
		.filter((name) => !(name.endsWith('Tool') && declared.includes(name.slice(0, -'Tool'.length))));
	expect([...new Set(ours)].sort()).toEqual(declared.sort());
});
