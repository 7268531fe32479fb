export { startCockpit, type RunningCockpit, type StartCockpitOptions } from './start-cockpit.ts';
export { loadCockpitConfig, type CockpitConfig } from './config.ts';
export { cockpitErrorCodes } from './errors/cockpit-error-codes.ts';
