/** Sends one bot message per input item; a failed item becomes an error item with Continue On Fail. */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';
import { coordinationFor } from '../../shared/coordination';
import { sendBotMessage } from '../../../lib/feishu/botSender';
import type { BotMessage } from '../../../lib/feishu/botMessage';
import { failedItem } from '../../shared/failedItem';
import { toNodeError } from '../../shared/errors';
import { webhookConfig } from '../transport/webhook';
import * as sendCard from './sendCard';
import * as sendPost from './sendPost';
import * as sendText from './sendText';

const builders: Record<string, (ctx: IExecuteFunctions, itemIndex: number) => BotMessage> = {
	sendText: sendText.build,
	sendPost: sendPost.build,
	sendCard: sendCard.build,
};

export async function router(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const config = await webhookConfig(ctx);
	const coordination = await coordinationFor(ctx);
	// Every item's message is built (and checked) before the first is sent: a bad item must not stop the
	// run half-way with part of the messages in the group.
	const messages: Array<BotMessage | NodeApiError | NodeOperationError> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const operation = ctx.getNodeParameter('operation', itemIndex) as string;
			messages.push(builders[operation](ctx, itemIndex));
		} catch (raw) {
			const error = toNodeError(ctx.getNode(), raw, itemIndex);
			if (!ctx.continueOnFail()) throw error;
			messages.push(error);
		}
	}
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const message = messages[itemIndex];
		try {
			if (message instanceof Error) throw message;
			const response = await sendBotMessage(config, message, { coordination });
			output.push({ json: { ...response, msgType: message.kind } as IDataObject, pairedItem: { item: itemIndex } });
		} catch (raw) {
			const error = toNodeError(ctx.getNode(), raw, itemIndex);
			if (!ctx.continueOnFail()) throw error;
			const code = (error as { errorResponse?: { code?: unknown } }).errorResponse?.code;
			output.push(
				failedItem(ctx.getNode(), error, itemIndex, {
					description: error.description ?? undefined,
					code: (code as string) ?? undefined,
				}),
			);
		}
	}
	return [output];
}
