// Loaded before every spec: quiet logs unless LOG_LEVEL asks otherwise.
import { Runtime, DefaultLogger } from '@temporalio/worker';

process.env.FICUS_TEST = '1';
Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
