export * from './runWorkflow';
export * from './nodeTypes';
export * from './credentialsHelper';
export * from './poll';
export * from './mysql';
