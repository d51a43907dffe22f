export { MemoryBackend, type Backend, type BreakerRecord } from './backend';
export { RedisBackend } from './redisBackend';
export { closeRedisStores, redisStoreFor, type RedisCredentialData } from './redisStore';
export {
	CoordinationStore,
	createInProcessStore,
	DEFAULT_LOCK_TTL_MS,
	inProcessStore,
	LockBusyError,
	LockLostError,
	type Breaker,
	type CallLimiter,
	type HeldLock,
	type LockOptions,
} from './store';
export { dropSharedToken, sharedToken, type FetchedToken } from './sharedToken';
