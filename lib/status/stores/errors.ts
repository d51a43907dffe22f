/** A store set up wrongly (a missing field or column name, a key needed but not given). */
export class StatusStoreConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'StatusStoreConfigError';
	}
}
