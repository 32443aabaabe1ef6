export * from './signatures';
export * from './mapping';
export * from './cursor';
export * from './simulator-base';
export * from './connector-route';
export * from './city-position';
export * from './pull-connector';
export * from './time-window';
