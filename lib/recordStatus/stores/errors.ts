/** A store set up wrongly (a missing field or column name, a key needed but not given). */
import { ServiceError } from '../../errors';
export class StatusStoreConfigError extends ServiceError {
	constructor(message: string) {
		super(message, { service: 'package', kind: 'config' });
	}
}
