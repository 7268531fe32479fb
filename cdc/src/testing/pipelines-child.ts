// Runs the appliers of a test topology in their own process, so fault tests can kill -9 it.
// Input: CDC_TEST_TOPOLOGY = JSON {legacy, catalog, inventory, prefix, login} (login: the CDC user provisionCdcForTest made).
// Traces like the CDC process when FICUS_TRACING=on (service name `cdc`).
import { createLogger, readStackEnv } from '@ficus/common';
import { startProcessTracing } from '@ficus/common/tracing';
import { defaultTopology } from '../pipelines/pipelines.ts';
import { startPipelines } from '../pipelines/cdc-runtime.ts';

const t = JSON.parse(process.env.CDC_TEST_TOPOLOGY ?? '{}') as { legacy: string; catalog: string; inventory: string; prefix: string; login: { user: string; password: string } };
const tracing = startProcessTracing(process.env, 'cdc');
const running = await startPipelines(defaultTopology(t, t.prefix), readStackEnv(), t.login, createLogger('cdc-child'));
process.stdout.write('ready\n');
process.once('SIGTERM', () => void running.stop().then(() => tracing.stop()).then(() => process.exit(0)));
