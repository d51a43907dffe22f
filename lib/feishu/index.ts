/** The Feishu transport and helpers every Feishu node uses (fieldValues.ts is the Bitable value layer). */
export * from './errors';
export * from './types';
export * from './endpoints';
export * from './bitableUrl';
export * from './clientToken';
export * from './paging';
export * from './botMessage';
export * from './botSender';
export * from './region';
export { FeishuRegistry, FeishuAppState, TokenCache, type BreakerSettings } from './appState';
export { FeishuCaller, type ApiCall, type RetrySettings } from './caller';
export * from './session';
