import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/**
 * A Temporal client connection whose close() also stops the gRPC retries of calls still in flight.
 * With the SDK's default interceptor a call that fails retryably after close() (a long poll the
 * server ends, say) schedules a retry that throws "Channel has been shut down" from a timer: an
 * uncaught error in whatever the process is doing by then.
 */
export const connectTemporal = async (address: string, o: { connectTimeout?: number } = {}) => {
  let closing = false;
  const retry = defaultGrpcRetryOptions();
  const connection = await Connection.connect({
    address, ...(o.connectTimeout ? { connectTimeout: o.connectTimeout } : {}),
    interceptors: [makeGrpcRetryInterceptor({ ...retry, retryableDecider: (attempt, status) => !closing && retry.retryableDecider(attempt, status) })],
  });
  return { connection, close: async () => { closing = true; await connection.close(); } };
};
