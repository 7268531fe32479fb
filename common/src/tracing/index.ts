// @ficus/common/tracing: OpenTelemetry for every deployable (docs/components/tracing.md, decision 0021).
export * from './tracing-config.ts';
export * from './start-tracing.ts';
export * from './traceparent.ts';
export * from './express-tracing.ts';
export * from './knex-tracing.ts';
export * from './sql-trace-comment.ts';
export * from './remote-parent-span.ts';
export * from './undici-tracing.ts';
export * from './process-tracing.ts';
export * from './memory-tracing.ts';
