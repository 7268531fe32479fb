// The light part of @ficus/common: errors, config, logging, stack settings, the signed user header.
// No knex, mysql2 or express at run time, so a process that needs only these (the proxy's hot
// path, the CLI's quick commands) does not load them. `@ficus/common` re-exports all of it.
export * from './errors/ficus-error.ts';
export * from './errors/express-error-handler.ts';
export * from './errors/service-error-codes.ts';
export * from './config/parse-config.ts';
export * from './config/public-defaults.ts';
export * from './config/production-mode.ts';
export * from './log/logger.ts';
export * from './process/wait-for.ts';
export * from './stack/stack-env.ts';
export * from './auth/user-token.ts';
export * from './auth/auth-config.ts';
export * from './process/on-stop-signal.ts';
export * from './ownership/ownership-types.ts';
export * from './ownership/fake-ownership-store.ts';
export * from './db/knex-log.ts';
export * from './db/mysql-errors.ts';
