/**
 * One sync per table at a time: Bitable has no unique constraint, so two overlapping syncs that both
 * see a key missing would both create it. In-process by default; the node passes a MySQL named lock
 * when the user gives a MySQL credential (that one also spans n8n queue-mode workers).
 */
import { KeyedMutex } from '../sync';

export type TableLock = <T>(name: string, work: () => Promise<T>) => Promise<T>;

const tables = new KeyedMutex();

export const inProcessLock: TableLock = (name, work) => tables.run(name, work);

/** No lock at all: only for tests that prove the lock is needed. */
export const noLock: TableLock = (_name, work) => work();

export const lockName = (appToken: string, tableId: string): string => `bitable-sync:${appToken}:${tableId}`;
