/**
 * Where a node keeps what must hold across executions (rate limits, app tokens, locks, breaker state):
 * this n8n process (the default), or Redis through n8n's built-in `redis` credential, so the main
 * process and every queue-mode worker share one state (README, "Running in queue mode").
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialDescription,
	INodeProperties,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { redisStoreFor, type CoordinationStore, type RedisCredentialData } from '../../lib/coordination';

export const REDIS_CREDENTIAL = 'redis';

type Ctx = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | ITriggerFunctions | IWebhookFunctions;

export const coordinationProperties: INodeProperties[] = [
	{
		displayName: 'Shared State',
		name: 'coordination',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'This Process Only',
				value: 'process',
				description: 'Rate limits, tokens and locks are kept per n8n process',
			},
			{
				name: 'Redis (Queue Mode)',
				value: 'redis',
				description: 'Shared by the main process and every worker, through a Redis credential',
			},
		],
		default: 'process',
		description: 'Where rate limits, app tokens, locks and the circuit breaker are kept',
	},
	{
		displayName:
			"Rate limits, app tokens, table and target locks are kept in this n8n process only. In queue mode each worker keeps its own, so two workers can together exceed an app's rate limit. Choose Redis (Queue Mode) under Shared State and give it the Redis credential your n8n queue uses.",
		name: 'coordinationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { coordination: ['process'] } },
	},
];

export const redisCredential: INodeCredentialDescription = {
	name: REDIS_CREDENTIAL,
	required: true,
	displayOptions: { show: { coordination: ['redis'] } },
};

/** The properties and credential shown only where the node uses Feishu or WPS (e.g. Record Status on Bitable). */
export function coordinationShownFor(show: Record<string, string[]>): {
	properties: INodeProperties[];
	credential: INodeCredentialDescription;
} {
	return {
		properties: coordinationProperties.map((p) => ({
			...p,
			displayOptions: { show: { ...p.displayOptions?.show, ...show } },
		})),
		credential: { ...redisCredential, displayOptions: { show: { ...redisCredential.displayOptions?.show, ...show } } },
	};
}

function chosen(ctx: Ctx): string {
	try {
		// execute functions take an item index; poll, trigger, webhook and load-options functions do not
		const get = ctx.getNodeParameter as (name: string, a?: unknown, b?: unknown) => unknown;
		const value =
			'getInputData' in ctx ? get.call(ctx, 'coordination', 0, 'process') : get.call(ctx, 'coordination', 'process');
		return String(value ?? 'process');
	} catch {
		return 'process';
	}
}

/** The shared store when the node is set to Redis; undefined: per process (today's behaviour). */
export async function coordinationFor(ctx: Ctx): Promise<CoordinationStore | undefined> {
	if (chosen(ctx) !== 'redis') return undefined;
	const credential: ICredentialDataDecryptedObject = await ctx.getCredentials(REDIS_CREDENTIAL);
	return redisStoreFor(credential as unknown as RedisCredentialData);
}
