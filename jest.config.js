/** Native ESM Jest (NestJS 12 ships ES modules only); SWC strips types and emits decorator metadata. */
const shared = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'suite',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // Operating drills (test/drills): kill -9 of built worker processes, restarts of a private redis-server and a
      // private PostgreSQL. Their global setup builds dist/ when a source is newer; each drill bounds its own time.
      ...shared,
      displayName: 'drills',
      testMatch: ['<rootDir>/test/drills/**/*.drill-spec.ts'],
      globalSetup: '<rootDir>/test/drills/drills-setup.ts',
    },
  ],
  maxWorkers: 2,
  // A global option (ignored inside a project); each drill states its own, longer bound. Two minutes: setups that
  // boot the app and a browser take tens of seconds on a loaded 2-core machine.
  testTimeout: 120000,
  verbose: false,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
