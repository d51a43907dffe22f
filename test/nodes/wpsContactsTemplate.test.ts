import { readFileSync } from 'fs';
import * as path from 'path';

/** The shipped template: its shape (the real-n8n suite imports and runs templates). */
describe('workflows/wps-contacts-sync.json', () => {
	const wf = JSON.parse(readFileSync(path.join(__dirname, '../../workflows/wps-contacts-sync.json'), 'utf8'));
	const byName = new Map<string, { type: string; parameters: Record<string, unknown> }>(
		wf.nodes.map((n: { name: string }) => [n.name, n]),
	);
	const targets = (from: string, output = 0) =>
		(wf.connections[from]?.main?.[output] ?? []).map((c: { node: string; index: number }) => `${c.node}#${c.index}`);

	test('schedule -> two MySQL queries -> Preview -> within limits: Apply (the stored plan, from the summary) -> Feishu summary', () => {
		expect(wf.id).toBeTruthy();
		expect(byName.get('Every Night 02:00')?.type).toBe('n8n-nodes-base.scheduleTrigger');
		expect(targets('Every Night 02:00')).toEqual(['Read Departments#0', 'Read Users#0']);
		expect(byName.get('Read Departments')?.type).toBe('n8n-nodes-feishu-wps-sync.mySqlQuery');
		expect(targets('Read Departments')).toEqual(['Preview Changes#0']);
		expect(targets('Read Users')).toEqual(['Preview Changes#1']);
		expect(byName.get('Preview Changes')?.parameters.operation).toBe('preview');
		expect(targets('Preview Changes', 0)).toContain('Within Limits?#0');
		// 50,000 operation items would bloat every execution: Preview shows the first 100, Apply Plan applies the stored plan
		expect(byName.get('Preview Changes')?.parameters.options).toMatchObject({
			operationItems: 'capped',
			maxOperationItems: 100,
		});
		// a night with nothing planned has no operation items: the merge never fires and the run stops after Preview
		expect(targets('Within Limits?', 0)).toEqual(['Take Plan#0']);
		expect(targets('Preview Changes', 1)).toEqual(['Take Plan#1']);
		expect(byName.get('Take Plan')?.parameters).toMatchObject({ mode: 'chooseBranch', useDataOfInput: 1 });
		expect(targets('Take Plan')).toEqual(['Apply Plan#0']);
		expect(byName.get('Apply Plan')?.parameters.operation).toBe('applyPlan');
		// ... and the applies keep at most 100 audit items (failures first) and the reverse plan as one stored item
		for (const name of ['Apply Plan', 'Apply Approved Plan']) {
			expect(byName.get(name)?.parameters.options).toMatchObject({ operationItems: 'capped', maxOperationItems: 100 });
		}
		expect(targets('Apply Plan')).toEqual(['Report Summary#0']);
		expect(byName.get('Report Summary')?.type).toBe('n8n-nodes-feishu-wps-sync.feishuBot');
	});

	test('over the limits: a link to an approval form -> Wait (form, time-out) -> Apply on approval, a rejection report otherwise', () => {
		expect(targets('Within Limits?', 1)).toEqual(['Ask for Approval#0']);
		const ask = String(byName.get('Ask for Approval')?.parameters.text);
		// a form: a GET (a chat's link preview, a mail scanner) only shows it; the decision is a POST
		expect(ask).toContain('$execution.resumeFormUrl');
		expect(ask).not.toContain('$execution.resumeUrl');
		const wait = byName.get('Wait for Decision')!;
		expect(wait.type).toBe('n8n-nodes-base.wait');
		expect(wait.parameters).toMatchObject({
			resume: 'form',
			limitWaitTime: true,
			formFields: {
				values: [
					{
						fieldLabel: 'Decision',
						fieldType: 'dropdown',
						requiredField: true,
						fieldOptions: { values: [{ option: 'Approve' }, { option: 'Reject' }] },
					},
				],
			},
		});
		expect(
			String(
				(byName.get('Approved?')?.parameters as { conditions: { conditions: { leftValue: string }[] } }).conditions
					.conditions[0].leftValue,
			),
		).toContain('$json.Decision');
		expect(targets('Approved?', 0)).toEqual(['Take Approved Plan#0']);
		expect(targets('Preview Changes', 0)).toContain('Take Approved Plan#1');
		expect(targets('Take Approved Plan')).toEqual(['Apply Approved Plan#0']);
		expect(targets('Approved?', 1)).toEqual(['Report Rejected#0']);
		expect(String(byName.get('Report Rejected')?.parameters.text)).toMatch(/rejected/);
	});

	test('bilingual sticky notes', () => {
		const notes = wf.nodes
			.filter((n: { type: string }) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n: { parameters: { content: string } }) => n.parameters.content);
		expect(notes.length).toBeGreaterThanOrEqual(2);
		for (const note of notes) expect(note).toMatch(/[\u4e00-\u9fff]/);
	});
});
