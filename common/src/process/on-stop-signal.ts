/**
 * Calls `stop` once, on the first SIGTERM or SIGINT. Ctrl-C in a terminal reaches every process of
 * the group and the demo runner then sends SIGTERM: the second signal must not stop twice (a
 * Temporal worker throws when shut down again; a server closed twice calls back with an error).
 */
export const onStopSignal = (stop: (signal: NodeJS.Signals) => void): void => {
  let stopping = false;
  const once = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stop(signal);
  };
  process.on('SIGTERM', once);
  process.on('SIGINT', once);
};
