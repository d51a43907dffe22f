import { dayBeforeMs } from './cursor';

import type { FilterCondition } from '../feishu/filter';
import type { SearchBody } from '../feishu/types';

/**
 * The search for one poll: the user's conditions AND "modified on or after the day holding
 * `fromMs`" (Feishu filters dates by day); the caller refines by milliseconds. Feishu allows at most
 * 50 conditions, one of which is ours.
 */
export function pollSearchBody(
	modifiedField: string,
	fromMs: number,
	timeZone: string,
	userConditions: FilterCondition[],
): SearchBody {
	if (userConditions.length > 49) {
		throw new RangeError(
			`at most 49 filter conditions can be combined with the poll window, got ${userConditions.length}`,
		);
	}
	return {
		filter: {
			conjunction: 'and',
			conditions: [
				...userConditions,
				{
					field_name: modifiedField,
					operator: 'isGreater',
					value: ['ExactDate', String(dayBeforeMs(fromMs, timeZone))],
				},
			],
		},
		sort: [{ field_name: modifiedField, desc: false }],
		automatic_fields: true,
	};
}

/** "Fetch test event": the newest matching record. */
export function newestSearchBody(modifiedField: string, userConditions: FilterCondition[]): SearchBody {
	return {
		filter: userConditions.length ? { conjunction: 'and', conditions: userConditions } : undefined,
		sort: [{ field_name: modifiedField, desc: true }],
		automatic_fields: true,
	};
}
