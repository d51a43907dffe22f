import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { BotMessage } from '../../../lib/feishu/botMessage';
import { sendEach } from '../helpers/sendMessages';

export const description: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		displayOptions: { show: { operation: ['sendPost'] } },
	},
	{
		displayName: 'Lines',
		name: 'lines',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		description: 'One paragraph per line',
		displayOptions: { show: { operation: ['sendPost'] } },
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		default: 'zh_cn',
		description: 'Which language version of the post this is (clients show the one matching their language, else any)',
		options: [
			{ name: 'Chinese', value: 'zh_cn' },
			{ name: 'English', value: 'en_us' },
			{ name: 'Japanese', value: 'ja_jp' },
		],
		displayOptions: { show: { operation: ['sendPost'] } },
	},
];

function build(ctx: IExecuteFunctions, itemIndex: number): BotMessage {
	const lines = String(ctx.getNodeParameter('lines', itemIndex))
		.split(/\r?\n/)
		.filter((line, i, all) => line.trim() !== '' || (i > 0 && i < all.length - 1));
	const title = String(ctx.getNodeParameter('title', itemIndex, '') ?? '');
	if (!title.trim() && !lines.some((line) => line.trim())) {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: "Title" and "Lines" are both empty`, {
			itemIndex,
			description:
				'Nothing was sent. Give the post a title or at least one line, or check what the expressions give for this item.',
		});
	}
	return {
		kind: 'post',
		title,
		lines,
		locale: String(ctx.getNodeParameter('language', itemIndex, 'zh_cn')),
	};
}

export const execute = sendEach(build);
