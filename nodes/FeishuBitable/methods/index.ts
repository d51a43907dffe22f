export { searchTables, getFields, getWritableFields, getFilterOperators } from '../../shared/feishu/tableLocator';
