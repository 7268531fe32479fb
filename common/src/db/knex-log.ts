/**
 * knex's `log` option for the project's pools. When knex cannot connect it prints "Acquire connection
 * error" with a stack, and then rejects the query with that same error, which its caller already
 * turns into a coded message or a retry: the line is dropped. Every other warning still goes to
 * stderr; errors and deprecations keep knex's own output.
 */
export const knexLog = {
  warn: (message: unknown): void => {
    if (typeof message === 'string' && message.startsWith('Acquire connection error')) return;
    console.warn(message);
  },
};
