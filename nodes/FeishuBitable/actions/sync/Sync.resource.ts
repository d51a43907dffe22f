/**
 * Sync: one operation, so no Operation parameter (saved workflows have none; the Mode parameter says what it does).
 * It runs once over all items, unlike the record and table operations.
 */
import type { INodeProperties } from 'n8n-workflow';
import * as sync from './sync.operation';

export { sync };

export const description: INodeProperties[] = [...sync.description];
