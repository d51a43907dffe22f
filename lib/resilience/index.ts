export * from './clock';
export * from './retry';
export * from './rateLimiter';
export * from './batching';
export * from './keyedMutex';
export * from './circuitBreaker';
