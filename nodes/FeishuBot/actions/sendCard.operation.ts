import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { BotMessage } from '../../../lib/feishu/botMessage';
import { sendEach } from '../helpers/sendMessages';

const EXAMPLE_CARD = JSON.stringify(
	{
		header: { title: { tag: 'plain_text', content: 'Sync finished' }, template: 'green' },
		elements: [{ tag: 'div', text: { tag: 'lark_md', content: '**Created:** 3\n**Updated:** 5' } }],
	},
	null,
	2,
);

export const description: INodeProperties[] = [
	{
		displayName: 'Card JSON',
		name: 'card',
		type: 'json',
		default: EXAMPLE_CARD,
		required: true,
		description:
			'The interactive card (as built in the Feishu card builder). A full body {"msg_type": "interactive", "card": {...}} is accepted too.',
		displayOptions: { show: { operation: ['sendCard'] } },
	},
];

const CARD_HINT =
	'Nothing was sent. Paste the card JSON from the Feishu card builder (an object such as {"elements": [...]}), or check what the expression gives for this item.';

function build(ctx: IExecuteFunctions, itemIndex: number): BotMessage {
	const raw = ctx.getNodeParameter('card', itemIndex);
	let card: unknown = raw;
	if (typeof raw === 'string') {
		try {
			card = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex}: Card JSON is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex,
					description: CARD_HINT,
				},
			);
		}
	}
	if (!card || typeof card !== 'object' || Array.isArray(card)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex}: Card JSON must be an object, not ${Array.isArray(card) ? 'a list' : JSON.stringify(card)}`,
			{
				itemIndex,
				description: CARD_HINT,
			},
		);
	}
	const object = card as Record<string, unknown>;
	const inner =
		object.msg_type === 'interactive' && object.card && typeof object.card === 'object' ? object.card : object;
	return { kind: 'card', card: inner as Record<string, unknown> };
}

export const execute = sendEach(build);
