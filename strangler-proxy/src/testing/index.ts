/** @ficus/strangler-proxy/testing: the proxy started in-process for other packages' tests and benches. Not for production code. */
export * from './test-proxy.ts';
export * from './test-backend.ts';
