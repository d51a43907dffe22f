import { FeishuBot } from '../../nodes/FeishuBot/FeishuBot.node';
import { panelOrder } from './panelOrder';

const description = new FeishuBot().description;

// Without a credentials-type parameter n8n draws the credentials above Shared State, at the bottom of the panel;
// the parameters keep their saved names and order.
describe('Feishu Bot panel', () => {
	test.each([
		['sendText', ['text']],
		['sendPost', ['title', 'lines', 'language']],
		['sendCard', ['card']],
	])('%s: the credentials right below Operation, then the message', (operation, message) => {
		expect(panelOrder(description, { operation })).toEqual([
			'operation',
			'credentials',
			...message,
			'coordination',
			'coordinationNotice',
		]);
		expect(description.properties.find((p) => p.name === 'credentials')?.type).toBe('credentials');
	});
});
