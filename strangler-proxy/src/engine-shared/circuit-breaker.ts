export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Failures within the window needed to open (together with the rate). */
  failureThreshold: number;
  /** Failure share (0–1) of the window's requests needed to open. */
  failureRate: number;
  windowMs: number;
  /** Time an open breaker rejects before letting one probe through. */
  openMs: number;
  now?: () => number;
  onStateChange?: (state: BreakerState) => void;
}

const buckets = 10;

/**
 * A small per-backend circuit breaker on a rolling window (ten buckets). Callback-free and
 * allocation-free per request, unlike a promise-wrapping breaker: the proxy streams responses and
 * knows success or failure only when headers arrive (see docs/decisions/0003-proxy-hot-path.md).
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #openedAt = 0;
  #probeInFlight = false;
  #probeStartedAt = 0;
  readonly #total = new Array<number>(buckets).fill(0);
  readonly #failed = new Array<number>(buckets).fill(0);
  #bucketStart = 0;
  #bucket = 0;
  readonly #o: BreakerOptions;
  readonly #now: () => number;

  constructor(options: BreakerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#bucketStart = this.#now();
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a request may go to the backend now. In half-open state only one probe at a time. */
  allow(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (this.#now() - this.#openedAt < this.#o.openMs) return false;
      this.#set('half-open');
    }
    // A probe whose outcome never came back (client gone) stops blocking after another open period.
    if (this.#probeInFlight && this.#now() - this.#probeStartedAt < this.#o.openMs) return false;
    this.#probeInFlight = true;
    this.#probeStartedAt = this.#now();
    return true;
  }

  success(): void {
    if (this.#state === 'half-open') {
      this.#probeInFlight = false;
      this.#reset();
      this.#set('closed');
      return;
    }
    this.#roll();
    this.#total[this.#bucket]!++;
  }

  failure(): void {
    if (this.#state === 'half-open') {
      this.#probeInFlight = false;
      this.#open();
      return;
    }
    if (this.#state === 'open') return;
    this.#roll();
    this.#total[this.#bucket]!++;
    this.#failed[this.#bucket]!++;
    let total = 0;
    let failed = 0;
    for (let i = 0; i < buckets; i++) { total += this.#total[i]!; failed += this.#failed[i]!; }
    if (failed >= this.#o.failureThreshold && failed / total >= this.#o.failureRate) this.#open();
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#reset();
    this.#set('open');
  }

  #set(state: BreakerState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#o.onStateChange?.(state);
  }

  #reset(): void {
    this.#total.fill(0);
    this.#failed.fill(0);
    this.#bucketStart = this.#now();
  }

  /** Advances to the bucket for now, clearing buckets that fell out of the window. */
  #roll(): void {
    const width = this.#o.windowMs / buckets;
    const now = this.#now();
    let steps = Math.floor((now - this.#bucketStart) / width);
    if (steps <= 0) return;
    if (steps > buckets) steps = buckets;
    for (let i = 0; i < steps; i++) {
      this.#bucket = (this.#bucket + 1) % buckets;
      this.#total[this.#bucket] = 0;
      this.#failed[this.#bucket] = 0;
    }
    this.#bucketStart = now - ((now - this.#bucketStart) % width);
  }
}
