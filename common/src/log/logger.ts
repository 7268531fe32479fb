import { pino, type Logger } from 'pino';

/** Structured JSON logs; `LOG_LEVEL` picks the level (default info, silent under tests unless set). */
export const createLogger = (name: string, level = process.env.LOG_LEVEL ?? (process.env.FICUS_TEST ? 'silent' : 'info')): Logger =>
  pino({ name, level, base: { svc: name } });

export type { Logger };
