// One mocha run for the whole repo: unit tests next to the code (*.test.ts), real-stack tests (*.e2e.test.ts).
module.exports = {
  extension: ['ts'],
  // `ficus test <specs…>` passes its specs through FICUS_SPECS so they replace this list
  spec: process.env.FICUS_SPECS ? process.env.FICUS_SPECS.split('\n') : [
    'common/src/**/*.test.ts',
    'cli/src/**/*.test.ts',
    'stack/src/**/*.test.ts',
    'legacy-monolith/src/**/*.test.ts',
    'strangler-proxy/src/**/*.test.ts',
    'extracted-services/*/src/**/*.test.ts',
    'cdc/src/**/*.test.ts',
    'workflows/src/**/*.test.ts',
    'cockpit/src/**/*.test.ts',
    'test/**/*.test.ts',
  ],
  require: ['test/setup.ts'],
  timeout: 60000,
  exit: true,
  reporter: 'test/summary-reporter.cjs',
};
