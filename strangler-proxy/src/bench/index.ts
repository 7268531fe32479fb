// Measurements the benchmarks (`bench/`) take inside the proxy's own code.
export { measureTracingCost, type TracingCost } from './tracing-cost.ts';
