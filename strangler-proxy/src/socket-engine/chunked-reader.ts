/**
 * Follows a `Transfer-Encoding: chunked` body as it streams, so the socket engine can relay the
 * bytes unchanged and still know where the message ends (and hand the data to a shadow tap).
 * Chunk extensions are skipped, trailers are relayed as they are. Strict: a malformed size line
 * ends the message with an error instead of guessing.
 */
export class ChunkedReader {
  private state: 'size' | 'ext' | 'sizeLf' | 'data' | 'dataCr' | 'dataLf' | 'trailer' | 'trailerLf' | 'done' = 'size';
  private remaining = 0;
  private digits = 0;
  private lineLength = 0;
  error: string | undefined;

  get done(): boolean {
    return this.state === 'done';
  }

  /**
   * Reads `chunk`; calls `onData` with each slice of body data (not framing) when given. Returns
   * how many bytes belong to this message (less than `chunk.length` only when it ended inside it),
   * or -1 on a framing error (see `error`).
   */
  feed(chunk: Buffer, onData?: (data: Buffer) => void): number {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const c = chunk[i]!;
      switch (this.state) {
        case 'size': {
          const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
          if (v >= 0) {
            if (++this.digits > 12) return this.fail('chunk size too large');
            this.remaining = this.remaining * 16 + v;
            i++;
            continue;
          }
          if (this.digits === 0) return this.fail('invalid chunk size');
          if (c === 13) this.state = 'sizeLf';
          else if (c === 59 /* ; */ || c === 32 || c === 9) this.state = 'ext';
          else return this.fail('invalid chunk size');
          i++;
          continue;
        }
        case 'ext':
          if (c === 13) this.state = 'sizeLf';
          else if (c === 10 || ++this.lineLength > 4096) return this.fail('invalid chunk extension');
          i++;
          continue;
        case 'sizeLf':
          if (c !== 10) return this.fail('invalid chunk size line');
          i++;
          this.lineLength = 0;
          this.digits = 0;
          this.state = this.remaining === 0 ? 'trailer' : 'data';
          continue;
        case 'data': {
          const take = Math.min(this.remaining, n - i);
          onData?.(chunk.subarray(i, i + take));
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.state = 'dataCr';
          continue;
        }
        case 'dataCr':
          if (c !== 13) return this.fail('missing CRLF after chunk data');
          this.state = 'dataLf';
          i++;
          continue;
        case 'dataLf':
          if (c !== 10) return this.fail('missing CRLF after chunk data');
          this.state = 'size';
          i++;
          continue;
        case 'trailer':
          // A trailer section is lines up to an empty one; lineLength counts the current line.
          if (c === 13) this.state = 'trailerLf';
          else if (c === 10 || ++this.lineLength > 8192) return this.fail('invalid trailer');
          i++;
          continue;
        case 'trailerLf':
          if (c !== 10) return this.fail('invalid trailer');
          i++;
          if (this.lineLength === 0) {
            this.state = 'done';
            return i;
          }
          this.lineLength = 0;
          this.state = 'trailer';
          continue;
        case 'done':
          return i;
      }
    }
    return i;
  }

  private fail(message: string): number {
    this.error = message;
    return -1;
  }
}
