// The order saga reads orders through the internal API and declares what it reads (SagaOrderView) on its
// side, so that it does not depend on this service (which starts it). This compile-time check keeps the
// two in step: tsc fails here if InternalOrderJson stops providing a field the saga reads.
import type { SagaOrderView } from '@ficus/workflows/saga-client';
import type { InternalOrderJson } from '../api/orders-api.ts';

export type InternalOrderProvidesSagaView = InternalOrderJson extends SagaOrderView ? true : never;
export const internalOrderProvidesSagaView: InternalOrderProvidesSagaView = true;
