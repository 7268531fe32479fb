import type { Command } from 'commander';
export const registerTest = (_p: Command): void => {};
