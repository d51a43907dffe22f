import {
	DEFAULT_TRANSITIONS,
	DEFAULT_TRANSITIONS_TEXT,
	SourcePriority,
	StatusMachine,
	TransitionSyntaxError,
	clientTokenForKey,
	decide,
	nameBasedUuid,
	parseTransitions,
} from '../../../lib/recordStatus';
import type { StatusSnapshot } from '../../../lib/recordStatus';

const rec = (status: string, extra: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
	id: 'r1',
	status,
	fields: {},
	...extra,
});

describe('transition rules', () => {
	const m = new StatusMachine();

	it('default machine: Pending -> Processing -> Completed | Failed, Failed -> Pending, nothing else', () => {
		const allowed: string[] = [];
		for (const from of m.statuses)
			for (const to of m.statuses) if (m.canTransition(from, to)) allowed.push(`${from}->${to}`);
		expect(allowed.sort()).toEqual(
			['Failed->Pending', 'Pending->Processing', 'Processing->Completed', 'Processing->Failed'].sort(),
		);
		expect(m.allowedFrom('Failed')).toEqual(['Processing']);
		expect(m.allowedFrom('Pending')).toEqual(['Failed']);
	});

	it('the default text parses to the default rules', () => {
		expect(parseTransitions(DEFAULT_TRANSITIONS_TEXT)).toEqual(DEFAULT_TRANSITIONS);
	});

	it('edited rules: several targets, ";" or lines, "|" or ",", rules for one source add up', () => {
		const t = parseTransitions('Pending -> Processing | Failed; Processing -> Pending\n  Pending -> Cancelled  ');
		expect(t.Pending).toEqual(['Processing', 'Failed', 'Cancelled']);
		const edited = new StatusMachine(t);
		expect(edited.canTransition('Processing', 'Pending')).toBe(true);
		expect(edited.canTransition('Processing', 'Completed')).toBe(false);
		expect(edited.isKnown('Cancelled')).toBe(true);
	});

	it('unreadable rules are rejected with the offending line', () => {
		expect(() => parseTransitions('Pending => Processing')).toThrow(TransitionSyntaxError);
		expect(() => parseTransitions('Pending -> ')).toThrow(/Pending ->/);
	});

	it('same status is a no-op; every illegal pair is skipped as illegal_transition', () => {
		for (const from of m.statuses) {
			for (const to of m.statuses) {
				const d = decide(m, rec(from), { target: to, at: 0 });
				if (from === to) expect(d).toMatchObject({ kind: 'noop', reason: 'unchanged' });
				else if (m.canTransition(from, to)) expect(d.kind).toBe('apply');
				else expect(d).toMatchObject({ kind: 'skip', reason: 'illegal_transition' });
			}
		}
	});

	it('a late Processing after Completed is illegal even when its version is stale', () => {
		expect(
			decide(m, rec('Completed', { version: 3 }), { target: 'Processing', expectedVersion: 1, at: 0 }),
		).toMatchObject({
			reason: 'illegal_transition',
		});
	});

	it('an empty status takes only the first status; an unknown current status is reported', () => {
		expect(decide(m, rec(''), { target: 'Pending', at: 0 }).kind).toBe('apply');
		expect(decide(m, rec(''), { target: 'Completed', at: 0 })).toMatchObject({ reason: 'illegal_transition' });
		expect(decide(m, rec('Weird'), { target: 'Pending', at: 0 })).toMatchObject({ reason: 'unknown_current_status' });
	});

	it('version: a mismatch is a conflict, a match applies', () => {
		expect(
			decide(m, rec('Pending', { version: 2 }), { target: 'Processing', expectedVersion: 1, at: 0 }),
		).toMatchObject({
			reason: 'version_conflict',
		});
		expect(decide(m, rec('Pending', { version: 2 }), { target: 'Processing', expectedVersion: 2, at: 0 }).kind).toBe(
			'apply',
		);
	});
});

describe('source priority', () => {
	const m = new StatusMachine();
	const p = new SourcePriority();

	it('user > workflow > reconciler', () => {
		expect(p.outranking('reconciler')).toEqual(['user', 'workflow']);
		expect(p.outranking('user')).toEqual([]);
	});

	it('a lower source may not override a status a higher one set later than the update', () => {
		const held = rec('Processing', { source: 'user', statusTime: 1000 });
		expect(decide(m, held, { target: 'Failed', source: 'reconciler', at: 999 }, p)).toMatchObject({
			reason: 'lower_priority',
		});
		expect(decide(m, held, { target: 'Failed', source: 'reconciler', at: 1001 }, p).kind).toBe('apply');
		expect(decide(m, held, { target: 'Failed', source: 'user', at: 1 }, p).kind).toBe('apply');
		const byReconciler = rec('Processing', { source: 'reconciler', statusTime: 5000 });
		expect(decide(m, byReconciler, { target: 'Completed', source: 'workflow', at: 1 }, p).kind).toBe('apply');
	});
});

describe('name-based uuid', () => {
	it('matches RFC 4122 v5 for the DNS namespace vector', () => {
		// Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
		expect(nameBasedUuid('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
			'886313e1-3b8a-5372-9b90-0c9aee199e5d',
		);
	});

	it('client tokens are stable per key, distinct across keys and tables, and uuidv4-shaped for Feishu', () => {
		const a = clientTokenForKey('app/tbl1', 'task-1');
		expect(clientTokenForKey('app/tbl1', 'task-1')).toBe(a);
		expect(clientTokenForKey('app/tbl1', 'task-2')).not.toBe(a);
		expect(clientTokenForKey('app/tbl2', 'task-1')).not.toBe(a);
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});
});
