import type Redis from "ioredis";
import { describe, expect, it } from "vitest";
import { AccessEventSink, type TAccessEvent } from "./access-events";

function event(n: number): TAccessEvent {
  return {
    kind: "request", ts: new Date().toISOString(), level: "info", organizationId: "o", instanceId: "i", tokenId: null, traceId: "t", requestId: `r${n}`,
    sessionId: null, method: "POST", path: "/", rpcMethods: [], toolNames: [], batch: false, status: null, latencyNs: null, bytesIn: 0, bytesOut: 0, clientAddress: null, headers: {},
  };
}

/** A Redis stand-in that records pipelines and can be switched off. */
function fakeRedis(): { redis: Redis; execs: string[][][]; up: { value: boolean } } {
  const execs: string[][][] = [];
  const up = { value: true };
  const redis = {
    get status() {
      return up.value ? "ready" : "reconnecting";
    },
    pipeline() {
      const cmds: string[][] = [];
      const p = {
        xadd: (...args: string[]) => {
          cmds.push(args);
          return p;
        },
        exec: async () => {
          if (!up.value) throw new Error("Connection is closed.");
          execs.push(cmds);
          return cmds.map(() => [null, "1-0"]);
        },
      };
      return p;
    },
  } as unknown as Redis;
  return { redis, execs, up };
}

describe("AccessEventSink", () => {
  it("sends everything buffered in one pipeline per flush, capped with MAXLEN ~", async () => {
    const f = fakeRedis();
    const sink = new AccessEventSink({ redis: () => f.redis, flushIntervalMs: 10_000, maxLen: 500 });
    for (let i = 0; i < 5; i++) sink.emit(event(i));
    expect(f.execs).toHaveLength(0); // nothing on the request path
    await sink.flush();
    expect(f.execs).toHaveLength(1);
    expect(f.execs[0]).toHaveLength(5);
    expect(f.execs[0]![0]!.slice(0, 6)).toEqual(["access-events", "MAXLEN", "~", "500", "*", "kind"]);
    expect(sink.published).toBe(5);
    await sink.close();
  });

  it("flushes by itself after the interval, and early once a batch is full", async () => {
    const f = fakeRedis();
    const sink = new AccessEventSink({ redis: () => f.redis, flushIntervalMs: 20, flushBatch: 3 });
    sink.emit(event(1));
    await new Promise((r) => setTimeout(r, 60));
    expect(f.execs.map((e) => e.length)).toEqual([1]);
    for (let i = 0; i < 3; i++) sink.emit(event(i));
    await new Promise((r) => setTimeout(r, 5));
    expect(f.execs.map((e) => e.length)).toEqual([1, 3]);
    await sink.close();
  });

  it("keeps events while Redis is down, drops the oldest past the cap and counts them, then delivers the rest", async () => {
    const f = fakeRedis();
    f.up.value = false;
    const sink = new AccessEventSink({ redis: () => f.redis, flushIntervalMs: 10_000, bufferCap: 4 });
    for (let i = 0; i < 6; i++) sink.emit(event(i));
    await sink.flush();
    expect(sink.dropped).toBe(2);
    expect(sink.pending).toBe(4);
    f.up.value = true;
    await sink.flush();
    expect(f.execs).toHaveLength(1);
    expect(f.execs[0]!.map((c) => (JSON.parse(c[c.length - 1]!) as TAccessEvent).requestId)).toEqual(["r2", "r3", "r4", "r5"]);
    await sink.close();
  });
});
