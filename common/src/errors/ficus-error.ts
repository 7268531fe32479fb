/**
 * Base error for every Ficus package. Branch on `code`, never on `instanceof`: errors cross
 * processes (HTTP, Kafka, Temporal) and only the code survives the trip.
 */
export interface FicusErrorOptions {
  /** HTTP status when the error crosses HTTP (default 500). */
  status?: number;
  /** Whether trying the same thing again may succeed (default false). */
  retriable?: boolean;
  /** Structured, safe-to-show details (field names, limits). Never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class FicusError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retriable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: FicusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FicusError';
    this.code = code;
    this.status = options.status ?? 500;
    this.retriable = options.retriable ?? false;
    this.details = options.details;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isFicusError = (e: unknown): e is FicusError =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' &&
  (e as { name?: unknown }).name === 'FicusError';

/** Helpers for the common HTTP-facing cases. */
export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new FicusError(code, message, { status: 400, details });
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new FicusError(code, message, { status: 404, details });
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new FicusError(code, message, { status: 409, details });
