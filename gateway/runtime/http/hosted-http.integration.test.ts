// Hosted HTTP servers end to end: instances created and scaled through the console's services run as
// replica processes under a real gateway (proxy + runtime roles); real MCP SDK clients keep their
// session on one replica, container logs reach Redis, a crashing server restarts with backoff and
// turns failed, and stopping leaves no process behind.
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instance, instanceEvent } from "@/db/schema/instances";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { getRedis } from "@/lib/redis";
import { createInstance } from "@/lib/services/instances/create-instance";
import { scaleInstance } from "@/lib/services/instances/scale-instance";
import { stopInstance } from "@/lib/services/instances/stop-instance";
import { createToken } from "@/lib/services/tokens/create-token";
import type { THostedConfig } from "@/lib/validation/instances";
import { ctxFor, makeOrg } from "@/test/fixtures";
import { startGateway, type TGateway } from "../../server";
import { containerLogsKey } from "../logs/container-log-publisher";

const everything = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const crasher = path.resolve("gateway/runtime/http/__fixtures__/crash-server.mjs");
let gw: TGateway;
let owner: TCtx;

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function hostedConfig(over: Partial<THostedConfig>): THostedConfig {
  return {
    accessMode: "hosted",
    transport: "streamable_http",
    command: process.execPath,
    args: [],
    env: [],
    codePackageId: null,
    initScript: null,
    port: null,
    path: "/mcp",
    startupTimeoutMs: 15_000,
    idleTimeoutMs: 600_000,
    sessionMode: "per_session",
    maxSessions: 10,
    minReplicas: 1,
    maxReplicas: 2,
    requestTimeoutMs: 30_000,
    ...over,
  };
}

async function create(name: string, config: THostedConfig): Promise<{ id: string; token: string }> {
  const created = await createInstance({ ctx: owner, input: { name, description: "", source: "custom", public: false, config } });
  const token = (await createToken({ ctx: owner, instanceId: created.id, input: { type: "bearer", value: { mode: "generate" }, label: "t", tags: [], expiresAt: null, enabled: true, headers: [] } })).value;
  return { id: created.id, token };
}

type TLog = { replica: string; stream: string; line: string; level: string };
async function logs(id: string): Promise<TLog[]> {
  const entries = await getRedis().xrange(containerLogsKey(id), "-", "+");
  return entries.map(([, fields]) => {
    const o: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) o[fields[i]!] = fields[i + 1]!;
    return o as TLog;
  });
}

const observed = async (id: string): Promise<{ s: string; m: string | null } | undefined> =>
  (await getDb().select({ s: instance.observedState, m: instance.observedMessage }).from(instance).where(eq(instance.id, id)))[0];

function pidsIn(lines: TLog[]): number[] {
  return lines.flatMap((l) => {
    const m = /^started on port \d+ \(pid (\d+)\)$/.exec(l.line);
    return m ? [Number(m[1])] : [];
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("hosted streamable HTTP servers with replicas", () => {
  let everythingId: string;
  let everythingToken: string;

  beforeAll(async () => {
    const o = await makeOrg();
    owner = await ctxFor(o.owner, o.orgId);
    gw = await startGateway({
      port: 0,
      host: "127.0.0.1",
      roles: ["proxy", "runtime"],
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      hosted: { http: { backoffMs: 100, maxBackoffMs: 400, maxCrashes: 3, crashWindowMs: 60_000, killGraceMs: 1000 } },
    });
    ({ id: everythingId, token: everythingToken } = await create("everything-http", hostedConfig({ args: [everything, "streamableHttp"] })));
  });

  afterAll(async () => {
    await gw.close(500);
  });

  it("scaled to 2 replicas, two clients land on different replicas and every call stays on its replica", async () => {
    await until("one replica up", async () => gw.hosted!.statsOf(everythingId)?.processes === 1);
    await until("it accepts connections", async () => pidsIn(await logs(everythingId)).length === 1, 10_000);
    await scaleInstance({ ctx: owner, instanceId: everythingId, input: { replicas: 2 } });
    await until("two replicas up", async () => gw.hosted!.statsOf(everythingId)?.processes === 2);
    // Accepting connections: one start before the scale, two after it.
    await until("both replicas accept connections", async () => pidsIn(await logs(everythingId)).length === 3, 10_000);
    const url = new URL(`http://127.0.0.1:${gw.port}/mcp-gateway/${everythingId}/mcp`);
    const clients: Client[] = [];
    const transports: StreamableHTTPClientTransport[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const client = new Client({ name: `c${i}`, version: "1" });
        const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${everythingToken}` } } });
        await client.connect(transport);
        clients.push(client);
        transports.push(transport);
      }
      const replicaOf = await Promise.all(transports.map((t) => getRedis().get(`affinity:${everythingId}:${t.sessionId!}`)));
      expect(replicaOf[0]).not.toBeNull();
      expect(replicaOf[1]).not.toBeNull();
      expect(replicaOf[0]).not.toBe(replicaOf[1]);
      expect(gw.hosted!.statsOf(everythingId)).toEqual({ processes: 2, sessions: 2 });
      for (let n = 0; n < 5; n++) {
        const texts = await Promise.all(
          clients.map(async (c, i) => ((await c.callTool({ name: "echo", arguments: { message: `${i}-${n}` } })).content as { text: string }[])[0]!.text),
        );
        expect(texts).toEqual([`Echo: 0-${n}`, `Echo: 1-${n}`]);
      }
      expect(await getRedis().ttl(`affinity:${everythingId}:${transports[0]!.sessionId!}`)).toBeGreaterThan(3000);
      // DELETE ends the session on its replica and forgets the affinity.
      await transports[0]!.terminateSession();
      await until("affinity forgotten", async () => (await getRedis().get(`affinity:${everythingId}:${transports[0]!.sessionId ?? "x"}`)) === null);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
    const lines = await until("replica events in the container log stream", async () => {
      const l = await logs(everythingId);
      return l.some((x) => x.replica === "replica-1" && x.stream === "event" && x.line.startsWith("started on port")) ? l : null;
    });
    expect(lines.some((x) => x.stream === "stderr" && /listening on port/.test(x.line))).toBe(true);
  }, 30_000);

  it("a request to another sub-path is 404; stop ends every replica process", async () => {
    const res = await fetch(`http://127.0.0.1:${gw.port}/mcp-gateway/${everythingId}/sse`, { headers: { authorization: `Bearer ${everythingToken}` } });
    expect(res.status).toBe(404);
    await res.body?.cancel();
    const pids = pidsIn(await logs(everythingId));
    expect(pids.length).toBe(3);
    await stopInstance({ ctx: owner, instanceId: everythingId });
    await until("stopped", async () => gw.hosted!.statsOf(everythingId) === null && (await observed(everythingId))?.s === "stopped");
    expect(pids.filter(alive)).toEqual([]);
  }, 15_000);

  it("a crashing server logs stdout, restarts with backoff and turns failed after the crash limit", async () => {
    const { id } = await create("crasher", hostedConfig({ args: [crasher], env: [{ name: "CRASH_AFTER_MS", value: "300", secret: false }], maxReplicas: 1 }));
    await until("observed failed", async () => (await observed(id))?.s === "failed", 10_000);
    const lines = await until("log lines flushed", async () => {
      const l = await logs(id);
      return l.some((x) => /^failed:/.test(x.line)) ? l : null;
    });
    expect(lines.filter((x) => x.stream === "stdout" && /^crash-server listening on \d+$/.test(x.line)).length).toBe(3);
    expect(lines.filter((x) => x.stream === "event" && /^restarting in/.test(x.line)).map((x) => x.line)).toEqual(["restarting in 100 ms", "restarting in 200 ms"]);
    expect(lines.some((x) => x.stream === "event" && x.line === "exited: code 3, signal null")).toBe(true);
    const events = await getDb().select().from(instanceEvent).where(and(eq(instanceEvent.instanceId, id), eq(instanceEvent.type, "failed")));
    expect(events.length).toBe(1);
    expect(gw.hosted!.statsOf(id)?.processes).toBe(0);
    expect(pidsIn(lines).filter(alive)).toEqual([]);
    await stopInstance({ ctx: owner, instanceId: id });
  }, 20_000);
});
