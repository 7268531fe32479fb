/** @ficus/common/testing: helpers for tests and benches (databases, HTTP clients, ports, fakes). Not for production code. */
export * from './test-database.ts';
export * from './http-client.ts';
export * from './session-counters.ts';
export * from './listen.ts';
export * from './error-catalogue-check.ts';
export * from '../ownership/fake-ownership-store.ts';
