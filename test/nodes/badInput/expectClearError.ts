/** What every bad-input case checks about the error: it names the item, the field, and what to do. */
export interface ClearError {
	/** The input item the error must name ("Item N"). */
	item: number;
	/** The parameter or field name the user sees, as the message must quote it. */
	field: string;
	/** What to do, in the message or its description. */
	todo: RegExp;
}

export function expectClearError(error: unknown, expected: ClearError): void {
	expect(error).toBeDefined();
	const { message, description } = error as { message: string; description?: string | null };
	expect(message).toContain(`Item ${expected.item}`);
	expect(message).toContain(expected.field);
	expect(`${message}\n${description ?? ''}`).toMatch(expected.todo);
}
