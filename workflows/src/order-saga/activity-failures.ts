import { ApplicationFailure } from '@temporalio/activity';
import { isFicusError } from '@ficus/common';

/** The code of an error that crossed HTTP (a FicusError from the service client), if any. */
export const codeOf = (e: unknown): string | undefined => (isFicusError(e) ? e.code : undefined);

/**
 * A business failure: Temporal must not retry it and the saga compensates. The code becomes the
 * failure's type (codes cross processes, classes do not) and the details travel with it.
 */
export const businessFailure = (code: string, message: string, details?: Record<string, unknown>): ApplicationFailure =>
  ApplicationFailure.create({ type: code, message, nonRetryable: true, details: details === undefined ? [] : [details] });

/**
 * Rethrows a service error for Temporal: retriable ones (5xx, unavailable, timeouts) as they are
 * so the retry policy applies; any other 4xx is a non-retryable failure with the service's code
 * (a programmer error or a state the saga cannot fix by retrying).
 */
export const rethrowForTemporal = (e: unknown): never => {
  if (isFicusError(e) && !e.retriable && e.status < 500) throw businessFailure(e.code, e.message, e.details);
  throw e;
};
