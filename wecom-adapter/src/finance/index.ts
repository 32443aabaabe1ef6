export * from './build-standin';
export * from './finance-error';
export * from './finance-fixture';
export * from './finance-sdk';
