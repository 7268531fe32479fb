import mysql from 'mysql2';

/** SQL literals for hand-built multi-row INSERTs (much faster than binding millions of parameters). */
export const str = (s: string | null): string => (s === null ? 'NULL' : mysql.escape(s));

/** A UTC DATETIME(3) literal from epoch milliseconds. */
export const dt = (ms: number): string => `'${new Date(ms).toISOString().slice(0, 23).replace('T', ' ')}'`;
