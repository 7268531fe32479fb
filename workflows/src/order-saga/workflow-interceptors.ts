// Workflow interceptors (bundled with the workflows, deterministic): the request id that started a
// saga (the `ficus-request-id` header of its start) goes on every activity it schedules, so the
// activities log it and send it to the services they call. Headers are not part of a workflow's
// commands as replay compares them: recorded histories replay the same with or without this module.
import type { ActivityInput, LocalActivityInput, Next, WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { requestIdHeader } from './request-id-header.ts';

type Payload = ActivityInput['headers'][string];

export const interceptors = (): WorkflowInterceptors => {
  let carried: Payload | undefined; // one closure per workflow execution
  const withId = <T extends ActivityInput | LocalActivityInput>(input: T): T =>
    carried && !input.headers[requestIdHeader] ? { ...input, headers: { ...input.headers, [requestIdHeader]: carried } } : input;
  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input, next) {
      carried = input.headers[requestIdHeader];
      return next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) => next(withId(input)),
    scheduleLocalActivity: (input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>) => next(withId(input)),
  };
  return { inbound: [inbound], outbound: [outbound] };
};
