export { searchTables, getFields, getWritableFields } from '../../shared/feishu/tableLocator';
