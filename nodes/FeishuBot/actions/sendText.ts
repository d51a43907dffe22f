import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BotMessage } from '../../../lib/feishu/botMessage';

export const description: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'Plain text; the credential\'s keyword is added in front when the text lacks it',
		displayOptions: { show: { operation: ['sendText'] } },
	},
];

export function build(ctx: IExecuteFunctions, itemIndex: number): BotMessage {
	return { kind: 'text', text: String(ctx.getNodeParameter('text', itemIndex)) };
}
