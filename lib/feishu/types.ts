/** Shapes of the Bitable objects the transport returns (as Feishu sends them). */

export interface BitableRecord {
	record_id: string;
	fields: Record<string, unknown>;
	[extra: string]: unknown;
}

export interface BitableField {
	field_id: string;
	field_name: string;
	type: number;
	ui_type?: string;
	property?: Record<string, unknown> | null;
	is_primary?: boolean;
	[extra: string]: unknown;
}

export interface BitableTable {
	table_id: string;
	name: string;
	revision?: number;
	[extra: string]: unknown;
}

export interface SearchPage {
	items: BitableRecord[];
	has_more: boolean;
	page_token?: string;
	total?: number;
}

export interface SearchBody {
	view_id?: string;
	field_names?: string[];
	sort?: Array<{ field_name: string; desc?: boolean }>;
	filter?: {
		conjunction: 'and' | 'or';
		conditions: Array<{ field_name: string; operator: string; value?: string[] }>;
		/** One level of nested groups (record filter guide). */
		children?: Array<{
			conjunction: 'and' | 'or';
			conditions?: Array<{ field_name: string; operator: string; value?: string[] }>;
		}>;
	};
	automatic_fields?: boolean;
	[extra: string]: unknown;
}

export interface WikiNode {
	space_id?: string;
	node_token: string;
	obj_token: string;
	obj_type: string;
	title?: string;
	[extra: string]: unknown;
}

export type UserIdType = 'open_id' | 'union_id' | 'user_id';
