import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// n8n-core's InstanceSettings writes a generated key under $N8N_USER_FOLDER/.n8n: keep it out of $HOME.
// Must run before n8n-core is first loaded, hence its own module imported first.
if (!process.env.N8N_USER_FOLDER) {
	const dir = path.join(os.tmpdir(), 'n8n-nodes-feishu-wps-sync-harness');
	fs.mkdirSync(dir, { recursive: true });
	process.env.N8N_USER_FOLDER = dir;
}
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
