/** @ficus/workflows/testing: the saga and migration stacks for other packages' tests and benches. Not for production code. */
export * from './saga-stack.ts';
export * from '../migration/testing/migration-databases.ts';
export * from '../migration/testing/migration-stack.ts';
export * from '../migration/testing/switch-stack.ts';
export * from './replay-histories.ts';
