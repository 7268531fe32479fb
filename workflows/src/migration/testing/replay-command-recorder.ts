// Replay tests only (bundled into the replay worker with `interceptors.workflowModules`): reports what
// the workflow code schedules while it replays a history (each activity with its arguments, the
// continue-as-new input, the result) through a sink, so a test can compare it byte for byte with
// what the history recorded. Temporal's own replay check compares command types, not arguments.
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface CommandRecorderSinks extends Sinks {
  commandRecorder: {
    activity(activityType: string, args: unknown[]): void;
    continuedAsNew(args: unknown[]): void;
    completed(result: unknown): void;
  };
}

const { commandRecorder } = proxySinks<CommandRecorderSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [{
    scheduleActivity(input, next) { commandRecorder.activity(input.activityType, input.args); return next(input); },
    continueAsNew(input, next) { commandRecorder.continuedAsNew(input.args); return next(input); },
  }],
  inbound: [{
    async execute(input, next) { const result = await next(input); commandRecorder.completed(result); return result; },
  }],
});
