import { buildBotBody, containsKeyword, signBot } from '../../../lib/feishu/botMessage';

describe('bot messages', () => {
	it('signs as Feishu documents (spec test vector)', () => {
		expect(signBot('orbit-test-secret', 1756800000)).toEqual({
			timestamp: '1756800000',
			sign: 'sN+9ZKa5w6BQmKyxCaxNA1DWEgtEnZaOcfEOCqZ26fg=',
		});
	});

	it('builds text, post and card bodies', () => {
		expect(buildBotBody({ kind: 'text', text: 'hello' })).toEqual({ msg_type: 'text', content: { text: 'hello' } });
		expect(buildBotBody({ kind: 'post', title: 'Sync', lines: ['a', 'b'] })).toEqual({
			msg_type: 'post',
			content: {
				post: { zh_cn: { title: 'Sync', content: [[{ tag: 'text', text: 'a' }], [{ tag: 'text', text: 'b' }]] } },
			},
		});
		const card = { header: { title: { tag: 'plain_text', content: 'Done' } }, elements: [] };
		expect(buildBotBody({ kind: 'card', card })).toEqual({ msg_type: 'interactive', card });
	});

	it('adds the keyword only when the message lacks it', () => {
		expect(buildBotBody({ kind: 'text', text: 'disk full' }, 'ALERT')).toEqual({
			msg_type: 'text',
			content: { text: 'ALERT disk full' },
		});
		expect(buildBotBody({ kind: 'text', text: 'ALERT: disk full' }, 'ALERT')).toEqual({
			msg_type: 'text',
			content: { text: 'ALERT: disk full' },
		});
		const post = buildBotBody({ kind: 'post', title: 'Sync', lines: ['ok'] }, 'ALERT');
		expect((post.content as any).post.zh_cn.title).toBe('ALERT Sync'); // eslint-disable-line @typescript-eslint/no-explicit-any
		const titled = buildBotBody(
			{ kind: 'card', card: { header: { title: { tag: 'plain_text', content: 'Done' } } } },
			'ALERT',
		);
		expect((titled.card as any).header.title.content).toBe('ALERT Done'); // eslint-disable-line @typescript-eslint/no-explicit-any
		const untitled = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } };
		const withLine = buildBotBody({ kind: 'card', card: untitled }, 'ALERT');
		expect(containsKeyword(withLine, 'ALERT')).toBe(true);
		expect(untitled.body.elements).toHaveLength(1); // the caller's card is not changed
	});
});
