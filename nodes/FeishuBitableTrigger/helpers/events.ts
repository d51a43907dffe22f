import type { ILoadOptionsFunctions, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { CatchUp, joinLongConnection, subscribeBase, unsubscribeBase } from '../../../lib/bitableTrigger/events';
import { resolveTable } from '../../shared/feishu/tableLocator';
import { toNodeError } from '../../shared/errors';
import { getFeishuSession } from '../../shared/feishu/session';
import { pollChanges } from './poll';

/**
 * The live listener per workflow and node in this process. n8n may start a trigger node again while the earlier start
 * is still live (seen with n8n 2.40 on activation); two listeners would each emit every change, so the newer replaces
 * the older (which keeps only its share of the base subscription, released by its own close).
 */
const live = new Map<string, { detach: () => Promise<void> }>();

/**
 * Events mode (lib/bitableTrigger/events.ts): subscribe the base, join the app's long connection, and run one
 * catch-up poll after every (re)connect and per burst of change events for this table. Idle, it makes no calls.
 */
export async function startEventMode(this: ITriggerFunctions): Promise<ITriggerResponse> {
	const session = await getFeishuSession(this);
	let ref: { appToken: string; tableId: string };
	try {
		ref = await resolveTable(this as unknown as ILoadOptionsFunctions, session);
		await subscribeBase(session, ref.appToken);
	} catch (error) {
		if (error instanceof NodeOperationError) throw error;
		throw toNodeError(this.getNode(), error);
	}
	const log = (message: string) => this.logger.warn(`Feishu Bitable Trigger (${this.getNode().name}): ${message}`);
	const catchUp = new CatchUp(
		async () => {
			const items = await pollChanges(this, false, session);
			if (items?.length) this.emit([items]);
		},
		// the next event or reconnect tries again; the cursor has not moved, so nothing is lost
		(error) => log(`catch-up poll failed: ${(error as Error).message}`),
	);
	const key = `${this.getWorkflow().id ?? ''}|${this.getNode().id ?? this.getNode().name}`;
	await live.get(key)?.detach();
	let leave: () => void;
	try {
		leave = joinLongConnection(
			{
				appId: session.config.appId,
				appSecret: session.config.appSecret,
				baseUrl: session.config.baseUrl,
				log: (level, message) => (level === 'error' ? log(message) : undefined),
			},
			{
				appToken: ref.appToken,
				tableId: ref.tableId,
				onChange: () => catchUp.request(),
				onConnected: () => void catchUp.request(),
				onError: (error) => log(`long connection failed: ${error.message}`),
			},
		);
	} catch (error) {
		await unsubscribeBase(session, ref.appToken).catch(() => undefined);
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			description: 'Check the App ID in the Feishu credential, or use the Poll mode.',
		});
	}
	let detached = false;
	const me = {
		detach: async () => {
			if (detached) return;
			detached = true;
			if (live.get(key) === me) live.delete(key);
			leave();
			await catchUp.stop();
		},
	};
	live.set(key, me);
	return {
		closeFunction: async () => {
			await me.detach();
			await unsubscribeBase(session, ref.appToken).catch((error) =>
				log(`unsubscribing the base failed: ${(error as Error).message}`),
			);
		},
	};
}
