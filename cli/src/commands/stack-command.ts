import type { Command } from 'commander';
export const registerStack = (_p: Command): void => {};
