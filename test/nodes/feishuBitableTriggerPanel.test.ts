import { FeishuBitableTrigger } from '../../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node';
import { panelOrder } from './panelOrder';

const description = new FeishuBitableTrigger().description;

// Without a credentials-type parameter n8n draws the credentials above Shared State, at the bottom of the panel;
// the parameters keep their saved names and order.
describe('Feishu Bitable Trigger panel', () => {
	test('the credentials first, then the table, what to trigger on, the filter, the options', () => {
		const table = ['notice', 'mode', 'base', 'table', 'events', 'modifiedField'];
		const tail = ['filterNotice', 'conditions', 'options', 'coordination', 'coordinationNotice'];
		expect(panelOrder(description, { events: 'created' })).toEqual(['credentials', ...table, ...tail]);
		expect(panelOrder(description, { events: 'both' })).toEqual(['credentials', ...table, 'watchFields', ...tail]);
		expect(description.properties[0]).toMatchObject({ name: 'credentials', type: 'credentials' });
	});
});
