/**
 * One sync per table at a time: Bitable has no unique constraint, so two overlapping syncs that both
 * see a key missing would both create it. In-process by default; the node passes a MySQL named lock
 * when the user gives a MySQL credential, or a Redis lock when it has a Redis credential (both span
 * n8n queue-mode workers).
 */
import { AsyncLocalStorage } from 'async_hooks';
import type { CoordinationStore, HeldLock } from '../coordination';
import { KeyedMutex } from '../resilience';

export type TableLock = <T>(name: string, work: () => Promise<T>) => Promise<T>;

const tables = new KeyedMutex();

export const inProcessLock: TableLock = (name, work) => tables.run(name, work);

/** No lock at all: only for tests that prove the lock is needed. */
export const noLock: TableLock = (_name, work) => work();

export const lockName = (appToken: string, tableId: string): string => `bitable-sync:${appToken}:${tableId}`;

/**
 * The expiring lock the running sync holds, if any: the session client asks it before each write batch
 * whether the lock is still ours (sessionClient.ts), so a sync whose lock lapsed stops before writing.
 */
export const heldTableLock = new AsyncLocalStorage<HeldLock>();

/** A lock in the coordination store (Redis): expires after `ttlMs` without keepalive, waits up to `waitMs`. */
export function storeTableLock(store: CoordinationStore, options: { waitMs: number; ttlMs?: number }): TableLock {
	return (name, work) =>
		store.withLock(name, (held) => heldTableLock.run(held, work), {
			waitMs: options.waitMs,
			ttlMs: options.ttlMs ?? 60_000,
			pollMs: 100,
		});
}
