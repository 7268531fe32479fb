/**
 * Node/V8 options the proxy process is started with (decision 0012). They are command-line only:
 * V8 reads them when it sets up the heap, so `v8.setFlagsFromString` at run time has no effect.
 *
 * `--no-page-promotion`: under sustained load V8 kept moving whole young-generation pages to the
 * old generation (about a fifth of everything allocated, most of it already garbage). The young
 * generation then grew to 64 MB, scavenges took 10-20 ms instead of under 2 ms, old-space garbage
 * forced a mark-compact every couple of seconds and RSS settled near 330 MB. With the flag the
 * scavenger copies only the objects that are alive (a few KB per scavenge here): p99 at 32
 * connections 3-4 ms instead of 15-20 ms, RSS ~155 MB, CPU per request no higher.
 */
export const proxyNodeFlags: readonly string[] = ['--no-page-promotion'];

/** The flags missing from this process's command line (main.ts says so once at start). */
export const missingNodeFlags = (execArgv: readonly string[] = process.execArgv): string[] =>
  proxyNodeFlags.filter((f) => !execArgv.includes(f));
