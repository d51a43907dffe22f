/** A Feishu business error: rendered as `{code, msg, data:{}}` with the given HTTP status. */
export class FeishuError extends Error {
	constructor(
		readonly code: number,
		readonly msg: string,
		readonly status = 200,
	) {
		super(`${code} ${msg}`);
	}
}

/** Error codes the emulator answers, with the messages Feishu uses (or close to them). */
export const E = {
	wrongRequestJson: () => new FeishuError(1254000, 'WrongRequestJson', 400),
	wrongRequestBody: (why: string) => new FeishuError(1254001, `WrongRequestBody: ${why}`),
	badPageToken: () => new FeishuError(1254002, 'Fail: invalid page_token'),
	badPageSize: () => new FeishuError(1254011, 'WrongPageSize'),
	fieldNameDuplicated: () => new FeishuError(1254014, 'FieldNameDuplicated'),
	fieldTypeMismatch: (why: string) => new FeishuError(1254015, `FieldTypeMismatch: ${why}`),
	invalidFilter: (why: string) => new FeishuError(1254018, `InvalidFilter: ${why}`),
	filterTooLong: () => new FeishuError(1254107, 'InvalidFilter: the filter is longer than 2000 characters'),
	tooLargeResponse: () => new FeishuError(1254030, 'TooLargeResponse'),
	baseCopying: () => new FeishuError(1254036, 'Base is copying, please try again later.', 400),
	clientTokenConflict: () =>
		new FeishuError(1255006, 'Client token conflict, please generate a new client token and try again.', 400),
	requestRecommitted: () => new FeishuError(1254608, 'ReqRecommited', 403),
	invalidSort: (why: string) => new FeishuError(1254019, `InvalidSort: ${why}`),
	badClientToken: () => new FeishuError(1254037, 'client_token is not a valid uuidv4'),
	baseNotFound: () => new FeishuError(1254040, 'BaseTokenNotFound'),
	tableNotFound: () => new FeishuError(1254041, 'TableIdNotFound'),
	fieldIdNotFound: () => new FeishuError(1254044, 'FieldIdNotFound'),
	recordNotFound: (id: string) => new FeishuError(1254043, `RecordIdNotFound: ${id}`),
	fieldNameNotFound: (name: string) => new FeishuError(1254045, `FieldNameNotFound: ${name}`),
	conv: (code: number, what: string) => new FeishuError(code, `${CONV_NAMES[code] ?? 'ConvFail'}: ${what}`),
	tooManyRecords: (limit: number) =>
		new FeishuError(1254104, `RecordAddOnceExceedLimit: at most ${limit} records per call`),
	recordCap: () => new FeishuError(1254103, 'RecordExceedLimit'),
	tooManyFields: () => new FeishuError(1254105, 'FieldExceedLimit: at most 300 fields per table'),
	tooLargeCell: () => new FeishuError(1254130, 'TooLargeCell: a text cell holds at most 100000 characters'),
	tooManyRequest: () => new FeishuError(1254290, 'TooManyRequest', 400),
	writeConflict: () => new FeishuError(1254291, 'Write conflict'),
	dataNotReady: () => new FeishuError(1254607, 'Data not ready, please try again later', 400),
	forbidden: () => new FeishuError(91403, 'Forbidden', 403),
	tokenMissing: () =>
		new FeishuError(
			99991661,
			'Missing access token for authorization. Please make a request with token attached.',
			400,
		),
	tokenInvalid: () =>
		new FeishuError(
			99991663,
			'Invalid access token for authorization. Please make a request with token attached.',
			400,
		),
	appSecretInvalid: () => new FeishuError(10014, 'app secret invalid', 400),
	appIdInvalid: () => new FeishuError(10003, 'invalid param: app_id', 400),
	fieldValidation: (why: string) => new FeishuError(99992402, `field validation failed: ${why}`, 400),
	wikiNotFound: () => new FeishuError(131005, 'not found', 400),
	wikiNoPermission: () => new FeishuError(131006, 'permission denied', 403),
	driveParams: (why: string) => new FeishuError(1061002, `params error: ${why}`, 400),
	driveTooLarge: () => new FeishuError(1061043, 'file size beyond limit', 400),
	driveParentMissing: () => new FeishuError(1061044, 'parent node not exist', 400),
	driveForbidden: () => new FeishuError(1061004, 'forbidden', 403),
	driveFileMissing: () => new FeishuError(1061045, 'file not exist', 404),
};

const CONV_NAMES: Record<number, string> = {
	1254060: 'TextFieldConvFail',
	1254061: 'NumberFieldConvFail',
	1254062: 'SingleSelectFieldConvFail',
	1254063: 'MultiSelectFieldConvFail',
	1254064: 'DatetimeFieldConvFail',
	1254065: 'CheckboxFieldConvFail',
	1254066: 'UserFieldConvFail',
	1254067: 'LinkFieldConvFail',
	1254068: 'URLFieldConvFail',
	1254069: 'AttachFieldConvFail',
	1254072: 'PhoneFieldConvFail',
};
