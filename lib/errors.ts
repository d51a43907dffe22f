/**
 * The one base of every error lib/ throws on purpose. It says which service the failure concerns, the
 * service's own code when there is one, and what the user can do (`hint`). nodes/shared/errors.ts is
 * the one place that turns these into n8n errors: `api` and `network` failures become NodeApiErrors,
 * the others NodeOperationErrors. Messages and hints never carry secrets.
 */

/** The system a failure concerns. `package` = our own guards and input checks, before any call. */
export type ServiceName = 'feishu' | 'wps' | 'mysql' | 'redis' | 'http' | 'package';

/**
 * - `api`: the service answered with an error;
 * - `network`: it could not be reached or did not answer in time;
 * - `input`: bad input, found before anything was written;
 * - `refused`: a safety guard stopped the run (threshold, lock, budget, verify);
 * - `config`: the node or credential is set up in a way that cannot work.
 */
export type ErrorKind = 'api' | 'network' | 'input' | 'refused' | 'config';

/** Scalar facts a failed item may carry (codes, SQLSTATE): never secrets. */
export type ErrorFields = Record<string, string | number | boolean | null>;

export interface ServiceErrorInit {
	service: ServiceName;
	kind: ErrorKind;
	/** The service's own code (Feishu's `code`, WPS's `code`, MySQL's `ER_...`), when it gave one. */
	code?: string | number;
	/** What the user can do about it. */
	hint?: string;
	/** The input item the error is about, when there is one. */
	itemIndex?: number;
	httpStatus?: number;
	/** Which call failed (`bitable.records.batch_create`, `POST /v7/users/create`), for API errors. */
	endpoint?: string;
	/** The node parameter the bad input came from, as the editor names it ("Query Parameters"). */
	field?: string;
}

export class ServiceError extends Error {
	readonly service: ServiceName;
	readonly kind: ErrorKind;
	readonly code: string | number | undefined;
	hint: string | undefined;
	itemIndex: number | undefined;
	readonly httpStatus: number | undefined;
	readonly endpoint: string | undefined;
	readonly field: string | undefined;
	/** Attempts made before giving up (set when retries were exhausted). */
	attempts?: number;

	constructor(message: string, init: ServiceErrorInit) {
		super(message);
		this.name = new.target.name;
		this.service = init.service;
		this.kind = init.kind;
		this.code = init.code;
		this.hint = init.hint;
		this.itemIndex = init.itemIndex;
		this.httpStatus = init.httpStatus;
		this.endpoint = init.endpoint;
		this.field = init.field;
	}

	/** What the service itself answered, as it came (shown in n8n's error details for API errors). */
	get serviceResponse(): ErrorFields {
		return { service: this.service, code: this.code ?? null, endpoint: this.endpoint ?? null };
	}

	/** Extra keys of a failed item under "Continue On Fail" (e.g. MySQL's code, errno and SQLSTATE). */
	get itemFields(): ErrorFields {
		return {};
	}
}
