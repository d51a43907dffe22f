/** Sends one bot message per input item; a failed item becomes an error item with Continue On Fail. */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';
import { sendBotMessage } from '../../../lib/feishu/botSender';
import type { BotMessage } from '../../../lib/feishu/botMessage';
import { coordinationFor } from '../../shared/coordination';
import { toNodeError } from '../../shared/errors';
import { failedItem } from '../../shared/failedItem';
import { webhookConfig } from '../transport/webhook';

/** An operation's message for one item, checked (throws when the item's parameters make no message). */
export type BuildMessage = (ctx: IExecuteFunctions, itemIndex: number) => BotMessage;

/** An operation's execute: its message for every item, sent in order. */
export function sendEach(build: BuildMessage): (this: IExecuteFunctions) => Promise<INodeExecutionData[]> {
	return async function (this: IExecuteFunctions) {
		return await sendMessages.call(this, build);
	};
}

async function sendMessages(this: IExecuteFunctions, build: BuildMessage): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const config = await webhookConfig(this);
	const coordination = await coordinationFor(this);
	// Every item's message is built (and checked) before the first is sent: a bad item must not stop the
	// run half-way with part of the messages in the group.
	const messages: Array<BotMessage | NodeApiError | NodeOperationError> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			messages.push(build(this, itemIndex));
		} catch (raw) {
			const error = toNodeError(this.getNode(), raw, itemIndex);
			if (!this.continueOnFail()) throw error;
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
			const error = toNodeError(this.getNode(), raw, itemIndex);
			if (!this.continueOnFail()) throw error;
			const code = (error as { errorResponse?: { code?: unknown } }).errorResponse?.code;
			output.push(
				failedItem(this.getNode(), error, itemIndex, {
					description: error.description ?? undefined,
					code: (code as string) ?? undefined,
				}),
			);
		}
	}
	return output;
}
