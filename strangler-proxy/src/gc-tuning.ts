// The proxy process's V8 tuning, imported first by main.ts (the process entry) so that it applies to the
// proxy process only, never to the CLI, the workers or the tests that import createProxy.
import { setFlagsFromString } from 'node:v8';

// PERF (issue 10): V8 "pretenures" allocation sites whose objects it sees surviving a young-generation
// GC. Under the first burst of load the young generation is still small and every in-flight request's
// objects (IncomingMessage, ServerResponse, undici's headers) survive one, so V8 starts allocating them
// straight into the old generation for the rest of the process: ~10 MB promoted per scavenge, 20 ms
// scavenges, a mark-compact every ~2 s and +50–90 MB peak RSS. A proxy's per-request objects all die
// young, so the heuristic only hurts here. Read at every GC, so setting it at start is enough.
setFlagsFromString('--no-allocation-site-pretenuring');
