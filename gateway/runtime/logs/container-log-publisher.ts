// Container log lines (a hosted process's stderr plus runtime events) go to a capped Redis stream per
// instance. The bridge must never wait on Redis: lines are buffered, flushed in one pipeline at a
// time, and dropped (counted) when the buffer is full or Redis is not connected.
import type Redis from "ioredis";
import { createRedis } from "@/lib/redis";

export type TContainerLogLevel = "debug" | "info" | "warn" | "error";

/** One container log line, as stored in `${prefix}container-logs:<instanceId>` (one field each). */
export type TContainerLogLine = {
  ts: string;
  level: TContainerLogLevel;
  /** Which process: `replica-<n>` (shared mode) or `session-<id prefix>` (per_session mode). */
  replica: string;
  stream: "stderr" | "stdout" | "event";
  line: string;
};

export type TContainerLogSink = { push(instanceId: string, line: TContainerLogLine): void };

export type TContainerLogPublisher = TContainerLogSink & {
  /** Writes what is buffered now (tests and shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): { published: number; dropped: number; buffered: number };
};

/** The stream key (without the client's key prefix) of an instance's container logs. */
export function containerLogsKey(instanceId: string): string {
  return `container-logs:${instanceId}`;
}

/** A batched, non-blocking publisher of container log lines to Redis streams (XADD MAXLEN ~). */
export function createContainerLogPublisher(
  opts: { redis?: Redis; maxBuffer?: number; flushIntervalMs?: number; maxLen?: number; batchSize?: number } = {},
): TContainerLogPublisher {
  const maxBuffer = opts.maxBuffer ?? 10_000;
  const maxLen = opts.maxLen ?? 5000;
  const batchSize = opts.batchSize ?? 500;
  let redis = opts.redis;
  const ownsRedis = !redis;
  const buffer: Array<{ instanceId: string; line: TContainerLogLine }> = [];
  let published = 0;
  let dropped = 0;
  let flushing: Promise<void> | null = null;
  let closed = false;

  const timer = setInterval(() => void flush(), opts.flushIntervalMs ?? 250);
  timer.unref();

  async function writeBatch(): Promise<void> {
    while (buffer.length > 0) {
      redis ??= createRedis();
      if (redis.status !== "ready") {
        // Redis is down or still connecting: drop rather than pile up in ioredis' offline queue.
        if (redis.status === "connecting" || redis.status === "wait" || redis.status === "connect") return;
        dropped += buffer.length;
        buffer.length = 0;
        return;
      }
      const batch = buffer.splice(0, batchSize);
      const pipeline = redis.pipeline();
      for (const { instanceId, line } of batch) {
        pipeline.xadd(containerLogsKey(instanceId), "MAXLEN", "~", String(maxLen), "*",
          "ts", line.ts, "level", line.level, "replica", line.replica, "stream", line.stream, "line", line.line);
      }
      try {
        const results = (await pipeline.exec()) ?? [];
        for (const [err] of results) {
          if (err) dropped++;
          else published++;
        }
      } catch {
        dropped += batch.length;
      }
    }
  }

  function flush(): Promise<void> {
    if (flushing) return flushing;
    if (buffer.length === 0) return Promise.resolve();
    flushing = writeBatch().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    push(instanceId, line) {
      if (closed) return;
      if (buffer.length >= maxBuffer) {
        buffer.shift();
        dropped++;
      }
      buffer.push({ instanceId, line });
      if (buffer.length >= batchSize) void flush();
    },
    async flush() {
      // A flush may already be running with an older batch; run until the buffer is empty or stuck.
      for (let i = 0; i < 100 && (buffer.length > 0 || flushing); i++) {
        const before = buffer.length;
        await flush();
        if (buffer.length > 0 && buffer.length === before && !flushing) break;
      }
    },
    async close() {
      await this.flush();
      closed = true;
      clearInterval(timer);
      if (ownsRedis && redis) redis.disconnect();
    },
    stats: () => ({ published, dropped, buffered: buffer.length }),
  };
}

const globalKey = Symbol.for("mcpcan.containerLogPublisher");
const g = globalThis as unknown as Record<symbol, TContainerLogPublisher | undefined>;

/** The process-wide publisher (its own Redis connection, created on first use). */
export function getContainerLogPublisher(): TContainerLogPublisher {
  let p = g[globalKey];
  if (!p) {
    const created = createContainerLogPublisher();
    const close = created.close;
    // A closed process-wide publisher is forgotten, so that a later caller gets a working one.
    created.close = async () => {
      if (g[globalKey] === created) g[globalKey] = undefined;
      await close.call(created);
    };
    p = created;
    g[globalKey] = p;
  }
  return p;
}

/** The level a stderr line most likely has; MCP servers log everything to stderr. */
export function guessStderrLevel(line: string): TContainerLogLevel {
  if (/\b(error|exception|fatal|panic|traceback)\b/i.test(line)) return "error";
  if (/\bwarn(ing)?\b/i.test(line)) return "warn";
  return "info";
}
