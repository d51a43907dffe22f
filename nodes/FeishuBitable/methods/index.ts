export { searchTables, getFields, getWritableFields, getFilterOperators } from '../../shared/feishu/tableLocator';
export { getColumns } from './resourceMapping';
export { feishuAppApiTest } from './credentialTest';
