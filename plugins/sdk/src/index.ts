export * from './events';
export * from './context';
export * from './define-plugin';
export * from './catalogue';
export * from './tables';
