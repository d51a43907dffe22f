import type { SyncSettings } from '../../../lib/directorySync/sync';
export type { Operation, Source } from '../../../lib/directorySync/types';
export type SyncSettingsLike = Partial<SyncSettings>;
