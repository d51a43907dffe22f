export * from './machine';
export * from './priority';
export * from './decide';
export * from './clientToken';
export * from './setStatus';
export * from './types';
