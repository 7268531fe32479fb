export * from './errors/ficus-error.ts';
export * from './errors/express-error-handler.ts';
export * from './config/parse-config.ts';
export * from './log/logger.ts';
export * from './testing/wait-for.ts';
export * from './stack/stack-env.ts';
export * from './testing/test-database.ts';
