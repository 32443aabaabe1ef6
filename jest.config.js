/** One test runner for every workspace: tests live beside the code as *.test.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/server', '<rootDir>/wecom-adapter', '<rootDir>/plugins', '<rootDir>/migrations', '<rootDir>/admin-web/e2e', '<rootDir>/docker'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 60000,
  maxWorkers: 2,
};
