// shared mode against real stdio servers: one replica serves many sessions through id multiplexing.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CreateMessageRequestSchema, McpError, type LoggingMessageNotification } from "@modelcontextprotocol/sdk/types.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { ClientSessions } from "./client-sessions";
import { createStdioInstance, type TStdioInstance } from "./index";
import { SharedBackend } from "./shared";
import {
  connectClient,
  FIXTURE,
  hostedConfig,
  memorySink,
  pidAlive,
  progressFor,
  recordMessages,
  startHarness,
  textOf,
  useTempDataDir,
  waitFor,
  type THarness,
} from "./testing/harness";

beforeAll(() => {
  useTempDataDir();
});

describe("shared stdio bridge", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(over: Parameters<typeof hostedConfig>[0] = {}): Promise<{ inst: TStdioInstance; h: THarness; sink: ReturnType<typeof memorySink> }> {
    const id = `sh-${Math.random().toString(36).slice(2, 8)}`;
    const sink = memorySink();
    const inst = createStdioInstance({ instanceId: id, config: hostedConfig({ sessionMode: "shared", ...over }), logSink: sink });
    const h = await startHarness(inst, id);
    cleanups.push(() => inst.close(), () => h.close());
    return { inst, h, sink };
  }

  it("serves both transports from one replica: initialize from cache, tools/list, echo, progress", async () => {
    const { inst, h, sink } = await setup();
    const a = await connectClient(h, "streamable");
    const b = await connectClient(h, "sse");
    const seenB = recordMessages(b.transport);
    for (const { client } of [a, b]) {
      expect(client.getServerVersion()?.name).toBe("mcp-servers/everything");
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("echo");
    }
    expect(textOf(await a.client.callTool({ name: "echo", arguments: { message: "from a" } }))).toBe("Echo: from a");
    expect(textOf(await b.client.callTool({ name: "echo", arguments: { message: "from b" } }))).toBe("Echo: from b");
    await b.client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } }, undefined, { onprogress: () => undefined });
    const token = (seenB.find((m) => m.method === "notifications/progress")?.params as { progressToken: unknown }).progressToken;
    expect(progressFor(seenB, token)).toEqual([1, 2, 3]);
    expect(inst.stats()).toEqual({ processes: 1, sessions: 2 });
    // The replica was initialized once, by the runtime.
    expect(sink.lines.filter((l) => l.line.startsWith("initialized")).length).toBe(1);
  }, 30_000);

  it("answers each session's initialize with the version it asked for when the replica can speak it", async () => {
    const { h } = await setup({ args: [FIXTURE] });
    async function init(version: string): Promise<Record<string, unknown>> {
      const res = await fetch(`${h.baseUrl}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: `i-${version}`, method: "initialize", params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
      });
      expect(res.headers.get("mcp-session-id")).toBeTruthy();
      return (await res.json()) as Record<string, unknown>;
    }
    const old = await init("2024-11-05");
    expect(old).toMatchObject({ id: "i-2024-11-05", result: { protocolVersion: "2024-11-05", serverInfo: { name: "runtime-fixture" } } });
    expect(await init("2099-01-01")).toMatchObject({ id: "i-2099-01-01", result: { protocolVersion: "2025-11-25" } });
  }, 30_000);

  it("routes a server→client request to the session whose call caused it, in turn, over both transports", async () => {
    const { h } = await setup({ args: [FIXTURE] });
    const clients = [];
    for (let i = 0; i < 4; i++) {
      const c = await connectClient(h, i % 2 ? "sse" : "streamable", { capabilities: { capabilities: { sampling: {} } } });
      c.client.setRequestHandler(CreateMessageRequestSchema, async (req) => ({
        role: "assistant",
        content: { type: "text", text: `client${i}:${(req.params.messages[0]?.content as { text: string }).text}` },
        model: "m",
      }));
      clients.push(c);
    }
    for (const [i, { client }] of clients.entries()) {
      expect(textOf(await client.callTool({ name: "ask-sampling", arguments: { tag: `tag${i}` } }))).toBe(`sampled:client${i}:tag${i}`);
    }
    // While another session waits on a slow call, the newest caller still gets its own request.
    const slow = clients[0]!.client.callTool({ name: "slow", arguments: { ms: 600 } });
    await new Promise((r) => setTimeout(r, 100));
    expect(textOf(await clients[3]!.client.callTool({ name: "ask-sampling", arguments: { tag: "x" } }))).toBe("sampled:client3:x");
    expect(textOf(await slow)).toBe("slept 600");
  }, 30_000);

  it("broadcasts unrelated server notifications to every session on the replica", async () => {
    const { h } = await setup({ args: [FIXTURE] });
    const got: string[][] = [[], []];
    const cs = [await connectClient(h, "streamable"), await connectClient(h, "sse")];
    cs.forEach(({ client }, i) =>
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n: LoggingMessageNotification) => {
        got[i]!.push(String(n.params.data));
      }),
    );
    await cs[0]!.client.callTool({ name: "announce", arguments: {} });
    await waitFor(() => got[0]!.length > 0 && got[1]!.length > 0, 5000, "both sessions to get the log message");
    expect(got).toEqual([["announcement"], ["announcement"]]);
  }, 30_000);

  it("fails in-flight requests when the replica crashes, replaces it with backoff and keeps serving the sessions", async () => {
    const { inst, h, sink } = await setup({ args: [FIXTURE] });
    const a = await connectClient(h, "streamable");
    const b = await connectClient(h, "sse");
    const pid1 = JSON.parse(textOf(await a.client.callTool({ name: "whoami", arguments: {} }))).pid as number;
    const slowB = b.client.callTool({ name: "slow", arguments: { ms: 5000 } }).then(() => null, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const errA = await a.client.callTool({ name: "crash", arguments: {} }).then(() => null, (e: unknown) => e);
    expect((errA as McpError).code).toBe(-32000);
    expect((errA as McpError).message).toMatch(/replica exited \(code 3/);
    expect(((await slowB) as McpError).message).toMatch(/replica exited/);
    expect(sink.lines.some((l) => l.line === "restarting in 1000 ms")).toBe(true);
    // The sessions survive and move to the replacement once it is up.
    const pid2 = JSON.parse(textOf(await b.client.callTool({ name: "whoami", arguments: {} }))).pid as number;
    expect(pid2).not.toBe(pid1);
    expect(pidAlive(pid1)).toBe(false);
    expect(textOf(await a.client.callTool({ name: "slow", arguments: { ms: 1 } }))).toBe("slept 1");
    expect(inst.stats()).toEqual({ processes: 1, sessions: 2 });
  }, 30_000);

  it("gives up after the crash policy's count within its window and reports the instance failed", async () => {
    const id = `sh-${Math.random().toString(36).slice(2, 8)}`;
    const sink = memorySink();
    const states: string[] = [];
    const inst = createStdioInstance({
      instanceId: id,
      config: hostedConfig({ sessionMode: "shared", command: process.execPath, args: ["-e", "process.exit(3)"] }),
      logSink: sink,
      crashPolicy: { limit: 2, windowMs: 60_000 },
      onStateChange: (state, message) => states.push(`${state}: ${message}`),
    });
    cleanups.push(() => inst.close());
    await waitFor(() => states.length > 0, 10_000);
    expect(states).toEqual([expect.stringMatching(/^failed: 2 crashes within 60 s: not restarting/)]);
    // No further restart is scheduled: the pool stays empty.
    await new Promise((r) => setTimeout(r, 1500));
    expect(inst.stats().processes).toBe(0);
    expect(sink.lines.filter((l) => l.line.startsWith("restarting in"))).toHaveLength(1);
  }, 20_000);

  it("answers a request the server does not answer in time with a JSON-RPC timeout error carrying its id", async () => {
    const { h } = await setup({ args: [FIXTURE], requestTimeoutMs: 300 });
    const a = await connectClient(h, "streamable");
    const err = await a.client.callTool({ name: "slow", arguments: { ms: 3000 } }).then(() => null, (e: unknown) => e);
    expect((err as McpError).code).toBe(-32001);
    expect((err as McpError).message).toMatch(/did not answer within 300 ms/);
    expect(textOf(await a.client.callTool({ name: "slow", arguments: { ms: 1 } }))).toBe("slept 1");
  }, 30_000);

  it("answers initialize with an error when no replica can start, retrying the spawn with backoff", async () => {
    const { sink, h } = await setup({ command: "/nonexistent/mcp-server", args: [], startupTimeoutMs: 1500 });
    const err = await connectClient(h, "streamable").then(() => null, (e: unknown) => e);
    expect((err as McpError).code).toBe(-32000);
    expect((err as McpError).message).toMatch(/No MCP server replica became ready within 1500 ms/);
    expect(sink.lines.filter((l) => l.line.startsWith("spawn failed")).length).toBeGreaterThanOrEqual(2);
    expect(sink.lines.some((l) => l.line === "restarting in 1000 ms")).toBe(true);
  }, 30_000);

  it("scales up to maxReplicas under sessions, balances new sessions to the least loaded replica, and scales idle extras down", async () => {
    const sink = memorySink();
    const config = hostedConfig({ sessionMode: "shared", args: [FIXTURE], minReplicas: 1, maxReplicas: 3, idleTimeoutMs: 3000 });
    const backend = new SharedBackend({ instanceId: "sh-scale", config, log: (l) => sink.push("sh-scale", l), sessionsPerReplica: 1 });
    const sessions = new ClientSessions(backend);
    const inst: TStdioInstance = {
      kind: "local",
      handle: (req, res, body, ctx) => sessions.handle(req, res, body, ctx),
      close: async () => {
        sessions.terminateAll();
        await backend.close();
      },
      stats: () => ({ processes: backend.processCount, sessions: sessions.size }),
    };
    const h = await startHarness(inst, "sh-scale");
    cleanups.push(() => inst.close(), () => h.close());
    const clients = [];
    for (let i = 0; i < 3; i++) clients.push(await connectClient(h, "streamable"));
    await waitFor(() => sink.lines.filter((l) => l.line.startsWith("initialized")).length === 3, 15_000, "three replicas");
    expect(inst.stats().processes).toBe(3);
    for (let i = 0; i < 3; i++) clients.push(await connectClient(h, "streamable"));
    const pids = await Promise.all(clients.map(async ({ client }) => JSON.parse(textOf(await client.callTool({ name: "whoami", arguments: {} }))).pid as number));
    const perReplica = [...new Set(pids)].map((p) => pids.filter((x) => x === p).length);
    expect(perReplica.length).toBe(3);
    expect(Math.max(...perReplica)).toBeLessThanOrEqual(3);
    for (const { transport } of clients) await (transport as { terminateSession(): Promise<void> }).terminateSession();
    await waitFor(() => inst.stats().processes === 1, 10_000, "the idle extra replicas to stop");
    expect(sink.lines.filter((l) => l.line === "scaling down: no sessions").length).toBe(2);
  }, 60_000);

  it("reaps idle sessions (their GET stream does not count as traffic)", async () => {
    const { inst, h } = await setup({ args: [FIXTURE], idleTimeoutMs: 300 });
    await connectClient(h, "streamable");
    expect(inst.stats().sessions).toBe(1);
    await waitFor(() => inst.stats().sessions === 0, 5000, "the idle session to be reaped");
    expect(inst.stats().processes).toBe(1); // the replica stays (minReplicas)
  }, 30_000);
});
