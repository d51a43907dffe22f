import { stopEverything } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
	await stopEverything();
}
