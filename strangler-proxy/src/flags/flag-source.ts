import type { FlagView } from '../decision/mode.ts';
import type { FlagState } from './mode-strategy.ts';

/** The flag state the proxy holds: evaluation for the hot path, plus what admin and metrics show. */
export interface FlagSource extends FlagView {
  /** Resolves once flag state is loaded (from Unleash or the bootstrap), or false after the timeout. */
  start(readyTimeoutMs: number): Promise<boolean>;
  readonly ready: boolean;
  /** Milliseconds since the last successful answer from Unleash (or since start, for bootstrap state); undefined when there is no state at all. */
  stalenessMs(): number | undefined;
  /** Epoch ms of the last successful answer from Unleash. */
  lastSyncAt(): number | undefined;
  readonly stalenessBoundMs: number;
  state(flag: string): FlagState;
  close(): void;
}
