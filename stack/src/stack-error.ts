import { FicusError } from '@ficus/common';

/** Stack failures name the component, what was expected and where its log is. */
export const stackError = (code: string, component: string, message: string, log?: string) =>
  new FicusError(code, `${component}: ${message}${log ? `\n  log: ${log}` : ''}`, { details: { component, ...(log ? { log } : {}) } });
