import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { coordinationProperties } from '../shared/coordination';
import { credentialsProperty } from '../shared/descriptions';
import { router } from './actions/router';
import * as sendCard from './actions/sendCard.operation';
import * as sendPost from './actions/sendPost.operation';
import * as sendText from './actions/sendText.operation';

export class FeishuBot implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Bot',
		name: 'feishuBot',
		icon: { light: 'file:feishuBot.svg', dark: 'file:feishuBot.dark.svg' },
		group: ['output'],
		version: [1],
		subtitle:
			'={{ {"sendText": "Send text", "sendPost": "Send rich post", "sendCard": "Send card"}[$parameter["operation"]] }}',
		description:
			'Post a text, rich post or card to a Feishu (Lark) group through a custom bot, signed when the bot requires it; keeps within 5 messages/s and 100/min and retries when throttled',
		defaults: { name: 'Feishu Bot' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// n8n's built-in Redis credential (the one its queue uses), not ours: its name has no -Api suffix
		credentials: [
			{ name: 'feishuBotWebhookApi', required: true },
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
			{ name: 'redis', required: true, displayOptions: { show: { coordination: ['redis'] } } },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'sendText',
				options: [
					{
						name: 'Send Card',
						value: 'sendCard',
						action: 'Send an interactive card',
						description: 'Send an interactive card given as JSON',
					},
					{
						name: 'Send Rich Post',
						value: 'sendPost',
						action: 'Send a rich post',
						description: 'Send a post with a title and lines',
					},
					{ name: 'Send Text', value: 'sendText', action: 'Send a text message', description: 'Send plain text' },
				],
			},
			credentialsProperty, // right below Operation
			...sendText.description,
			...sendPost.description,
			...sendCard.description,
			...coordinationProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
