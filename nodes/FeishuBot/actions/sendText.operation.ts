import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { BotMessage } from '../../../lib/feishu/botMessage';
import { sendEach } from '../helpers/sendMessages';

export const description: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: "Plain text; the credential's keyword is added in front when the text lacks it",
		displayOptions: { show: { operation: ['sendText'] } },
	},
];

function build(ctx: IExecuteFunctions, itemIndex: number): BotMessage {
	const text = String(ctx.getNodeParameter('text', itemIndex) ?? '');
	if (!text.trim()) {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: "Text" is empty`, {
			itemIndex,
			description: 'Nothing was sent. Write the message, or check what the expression gives for this item.',
		});
	}
	return { kind: 'text', text };
}

export const execute = sendEach(build);
