/**
 * The operators offered on date, created-time and modified-time fields, sorted: the five Feishu accepts there
 * (docs/feishu-api.md, "Filters") and isGreaterEqual / isLessEqual, which the filter sends as isGreater / isLess
 * of the day before / after. The filter's unit test and the node's operator picker test both expect this list.
 */
export const DATE_FIELD_OPERATORS = [
	'is',
	'isEmpty',
	'isGreater',
	'isGreaterEqual',
	'isLess',
	'isLessEqual',
	'isNotEmpty',
];
