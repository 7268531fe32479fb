import { createHash, type Hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CapturedResponse } from '../compare/compare-responses.ts';
import type { PrimaryTap } from './shadow-sink.ts';

/**
 * A response captured whole. PERF: its sha256 is computed only when something reads it (a stored
 * mismatch, a report): the comparison tells identical whole bodies apart with `Buffer#equals`.
 */
class WholeBody implements CapturedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly bodyBytes: number;
  private digest: string | undefined;

  constructor(status: number, headers: IncomingHttpHeaders, body: Buffer) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.bodyBytes = body.length;
  }

  get bodyHash(): string {
    return (this.digest ??= createHash('sha256').update(this.body).digest('hex'));
  }
}

/**
 * Keeps a copy of a response body up to `maxBytes`; past that it drops the copy and keeps only a
 * running sha256 and the size, so an enormous body costs hashing, never memory. Used as the
 * primary's tap (on the hot path: copy and hash only) and for the shadow side's answers.
 */
export class BodyCapture implements PrimaryTap {
  readonly maxBytes: number;
  status: number | undefined;
  headers: IncomingHttpHeaders | undefined;
  private chunks: Buffer[] | undefined = [];
  private hash: Hash | undefined;
  private size = 0;
  private state: 'open' | 'done' | 'failed' = 'open';
  private failure: string | undefined;
  private readonly settled: Promise<void>;
  private settle!: () => void;
  private digest: string | undefined;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
    this.settled = new Promise<void>((r) => { this.settle = r; });
  }

  head(status: number, headers: IncomingHttpHeaders): void {
    if (this.state !== 'open') return;
    this.status = status;
    this.headers = { ...headers };
  }

  data(chunk: Buffer): void {
    if (this.state !== 'open') return;
    this.size += chunk.length;
    if (this.chunks) {
      if (this.size <= this.maxBytes) {
        // a copy: the producer may reuse its buffer once the chunk is written on
        this.chunks.push(Buffer.from(chunk));
        return;
      }
      this.hash = createHash('sha256');
      for (const c of this.chunks) this.hash.update(c);
      this.chunks = undefined;
    }
    this.hash!.update(chunk);
  }

  end(): void {
    if (this.state !== 'open') return;
    this.state = this.status === undefined ? 'failed' : 'done';
    if (this.state === 'failed') this.failure = 'no response head';
    this.settle();
  }

  fail(reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure = reason;
    this.chunks = undefined;
    this.hash = undefined;
    this.settle();
  }

  /** Waits for the end of the body; the captured response, or the reason there is none. */
  async result(): Promise<{ response: CapturedResponse } | { error: string }> {
    await this.settled;
    if (this.state !== 'done') return { error: this.failure ?? 'failed' };
    if (this.chunks) {
      const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      return { response: new WholeBody(this.status!, this.headers!, body) };
    }
    this.digest ??= this.hash!.digest('hex');
    return { response: { status: this.status!, headers: this.headers!, body: undefined, bodyBytes: this.size, bodyHash: this.digest } };
  }

  /** True once the body went past the bound (compared by hash). */
  get oversize(): boolean { return this.size > this.maxBytes; }
}
