// Access events (design §5): appended to one capped Redis stream, `<prefix>access-events`, by a
// background flush that sends everything buffered in ONE pipelined round trip. The request path only
// pushes onto an in-memory array. When Redis is down the buffer is bounded: the oldest events are
// dropped and counted, so that a Redis outage never grows the gateway's memory.
import type Redis from "ioredis";

export type TAccessEventKind = "request" | "response" | "sse_start" | "sse_end";
export type TAccessLevel = "info" | "warn" | "error";

export type TAccessEvent = {
  kind: TAccessEventKind;
  ts: string;
  level: TAccessLevel;
  organizationId: string | null;
  instanceId: string;
  tokenId: string | null;
  traceId: string;
  requestId: string;
  sessionId: string | null;
  method: string;
  path: string;
  /** JSON-RPC methods of the body, in order (one for a single message, several for a batch). */
  rpcMethods: string[];
  /** Tool names of tools/call messages. */
  toolNames: string[];
  batch: boolean;
  status: number | null;
  /** Nanoseconds since the request arrived, as a decimal string (a bigint does not fit JSON numbers). */
  latencyNs: string | null;
  bytesIn: number;
  bytesOut: number;
  clientAddress: string | null;
  headers: Record<string, string>;
  error?: string;
};

/** The stream key (ioredis adds the configured key prefix). */
export const ACCESS_EVENTS_STREAM = "access-events";

export type TAccessEventSinkOptions = {
  /** Resolved on each flush (the process-wide client by default). */
  redis: () => Redis;
  /** Approximate cap of the stream (XADD MAXLEN ~). */
  maxLen?: number;
  flushIntervalMs?: number;
  /** Flush early once this many events wait. */
  flushBatch?: number;
  /** Most events kept in memory while Redis does not answer. */
  bufferCap?: number;
  onError?: (err: unknown) => void;
};

/** Level of an exchange by its status: 5xx and timeouts are errors, 4xx warnings. */
export function levelForStatus(status: number | null, timedOut = false): TAccessLevel {
  if (timedOut || (status !== null && status >= 500)) return "error";
  if (status !== null && status >= 400) return "warn";
  return "info";
}

export class AccessEventSink {
  private buffer: TAccessEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  /** Events discarded because the buffer was full (Redis unreachable for too long). */
  dropped = 0;
  published = 0;

  /** Events waiting to be published. */
  get pending(): number {
    return this.buffer.length;
  }
  private readonly maxLen: number;
  private readonly flushIntervalMs: number;
  private readonly flushBatch: number;
  private readonly bufferCap: number;

  constructor(private readonly opts: TAccessEventSinkOptions) {
    this.maxLen = opts.maxLen ?? 100_000;
    this.flushIntervalMs = opts.flushIntervalMs ?? 50;
    this.flushBatch = opts.flushBatch ?? 100;
    this.bufferCap = opts.bufferCap ?? 10_000;
  }

  /** Queues one event; never blocks and never throws. */
  emit(event: TAccessEvent): void {
    if (this.closed) return;
    this.buffer.push(event);
    this.trim();
    if (this.buffer.length >= this.flushBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs);
  }

  private trim(): void {
    const excess = this.buffer.length - this.bufferCap;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Sends what is buffered in one pipeline; on failure the events go back to the front of the buffer. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushing) return this.flushing;
    if (this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer;
    this.buffer = [];
    const redis = this.opts.redis();
    const pipeline = redis.pipeline();
    for (const e of batch) pipeline.xadd(ACCESS_EVENTS_STREAM, "MAXLEN", "~", String(this.maxLen), "*", "kind", e.kind, "event", JSON.stringify(e));
    this.flushing = pipeline
      .exec()
      .then((results) => {
        const failed = results?.find(([err]) => err)?.[0];
        if (failed) throw failed;
        this.published += batch.length;
      })
      .catch((err: unknown) => {
        this.buffer = batch.concat(this.buffer);
        this.trim();
        this.opts.onError?.(err);
      })
      .finally(() => {
        this.flushing = undefined;
        // Whatever arrived meanwhile (or came back after a failure) goes on the next tick of the timer.
        if (this.buffer.length > 0 && !this.closed) this.timer ??= setTimeout(() => void this.flush(), this.buffer.length >= this.flushBatch ? 0 : this.flushIntervalMs * (redis.status === "ready" ? 1 : 20));
      });
    return this.flushing;
  }

  /** Flushes once more (bounded by `timeoutMs`) and stops accepting events. */
  async close(timeoutMs = 1000): Promise<void> {
    await Promise.race([this.flush().then(() => this.flush()), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
