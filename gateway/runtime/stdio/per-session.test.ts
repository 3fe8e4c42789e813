// per_session mode against real stdio servers, driven by the real MCP SDK client over both transports.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { createStdioInstance, type TStdioInstance } from "./index";
import { connectClient, FIXTURE, progressFor, recordMessages, hostedConfig, memorySink, pidAlive, startHarness, textOf, useTempDataDir, waitFor, type THarness } from "./testing/harness";

let dataDir = "";
beforeAll(() => {
  dataDir = useTempDataDir();
});

describe("per_session stdio bridge", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(() => void dataDir);

  async function setup(over: Parameters<typeof hostedConfig>[0] = {}, id = `ps-${Math.random().toString(36).slice(2, 8)}`): Promise<{ inst: TStdioInstance; h: THarness; sink: ReturnType<typeof memorySink> }> {
    const sink = memorySink();
    const inst = createStdioInstance({ instanceId: id, config: hostedConfig(over), logSink: sink });
    const h = await startHarness(inst, id);
    cleanups.push(() => inst.close(), () => h.close());
    return { inst, h, sink };
  }

  for (const kind of ["streamable", "sse"] as const) {
    it(`initializes, lists tools, echoes and relays progress over ${kind}`, async () => {
      const { inst, h } = await setup();
      const { client, transport } = await connectClient(h, kind);
      const seen = recordMessages(transport);
      expect(client.getServerVersion()?.name).toBe("mcp-servers/everything");
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain("echo");
      expect(textOf(await client.callTool({ name: "echo", arguments: { message: "hello" } }))).toBe("Echo: hello");
      const progress: number[] = [];
      const res = await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
      });
      expect(textOf(res)).toContain("Long running operation completed");
      // The SDK's progress handler may miss the last one (see recordMessages); the transport saw all three.
      expect(progress.length).toBeGreaterThanOrEqual(2);
      const token = seen.find((m) => m.method === "notifications/progress")?.params as { progressToken: unknown };
      expect(progressFor(seen, token.progressToken)).toEqual([1, 2, 3]);
      expect(inst.stats()).toEqual({ processes: 1, sessions: 1 });
      await client.close();
      if (kind === "sse") {
        // The legacy stream is the session: closing it stops the process.
        await waitFor(() => inst.stats().processes === 0, 10_000, "the process of the closed SSE session to stop");
        expect(inst.stats().sessions).toBe(0);
      }
    }, 30_000);
  }

  it("gives every session its own process and stops it on DELETE", async () => {
    const { inst, h } = await setup({ args: [FIXTURE] });
    const a = await connectClient(h, "streamable");
    const b = await connectClient(h, "streamable");
    const pidA = JSON.parse(textOf(await a.client.callTool({ name: "whoami", arguments: {} }))).pid as number;
    const pidB = JSON.parse(textOf(await b.client.callTool({ name: "whoami", arguments: {} }))).pid as number;
    expect(pidA).not.toBe(pidB);
    expect(inst.stats()).toEqual({ processes: 2, sessions: 2 });
    await (a.transport as { terminateSession(): Promise<void> }).terminateSession();
    await waitFor(() => !pidAlive(pidA), 10_000, "the DELETEd session's process to exit");
    expect(pidAlive(pidB)).toBe(true);
    expect(inst.stats()).toEqual({ processes: 1, sessions: 1 });
  }, 30_000);

  it("refuses sessions beyond maxSessions with a JSON-RPC error naming the cap", async () => {
    const { inst, h } = await setup({ args: [FIXTURE], maxSessions: 2 });
    await connectClient(h, "streamable");
    await connectClient(h, "sse");
    for (const kind of ["streamable", "sse"] as const) {
      const err = await connectClient(h, kind).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(McpError);
      expect((err as McpError).code).toBe(-32000);
      expect((err as McpError).message).toMatch(/limit of 2 concurrent sessions \(maxSessions = 2\)/);
    }
    expect(inst.stats().processes).toBe(2);
    // The raw answer: HTTP 200 with the error for the initialize request's id.
    const res = await fetch(`${h.baseUrl}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "init-7", method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ jsonrpc: "2.0", id: "init-7", error: { code: -32000 } });
  }, 30_000);

  it("reaps a session's process after the idle timeout but not while a request is in flight", async () => {
    const { inst, h, sink } = await setup({ args: [FIXTURE], idleTimeoutMs: 400 });
    const a = await connectClient(h, "streamable");
    const pid = JSON.parse(textOf(await a.client.callTool({ name: "whoami", arguments: {} }))).pid as number;
    // A call longer than the idle timeout keeps the session.
    expect(textOf(await a.client.callTool({ name: "slow", arguments: { ms: 900 } }))).toBe("slept 900");
    expect(pidAlive(pid)).toBe(true);
    await waitFor(() => !pidAlive(pid), 5000, "the idle process to be reaped");
    expect(inst.stats()).toEqual({ processes: 0, sessions: 0 });
    expect(sink.lines.some((l) => l.stream === "event" && l.line.startsWith("reaped"))).toBe(true);
    await expect(a.client.callTool({ name: "whoami", arguments: {} })).rejects.toThrow();
  }, 30_000);

  it("answers initialize with an error and kills the process when it does not start in time", async () => {
    const { inst, h, sink } = await setup({ args: ["-e", "setInterval(() => {}, 1000)"], startupTimeoutMs: 500 });
    const err = await connectClient(h, "streamable").then(() => null, (e: unknown) => e);
    expect((err as McpError).message).toMatch(/did not answer initialize within 500 ms/);
    await waitFor(() => inst.stats().processes === 0, 7000, "the stuck process to be killed");
    expect(sink.lines.some((l) => l.line.startsWith("startup timeout"))).toBe(true);
  }, 30_000);

  it("fails pending requests with a JSON-RPC error when the process exits mid-session", async () => {
    const { inst, h, sink } = await setup({ args: [FIXTURE] });
    const a = await connectClient(h, "streamable");
    const err = await a.client.callTool({ name: "crash", arguments: {} }).then(() => null, (e: unknown) => e);
    expect((err as McpError).code).toBe(-32000);
    expect((err as McpError).message).toMatch(/exited \(code 3/);
    await waitFor(() => inst.stats().sessions === 0, 5000, "the session to end");
    expect(sink.lines.some((l) => l.stream === "stderr" && l.line.includes("crashing on request"))).toBe(true);
    expect(sink.lines.some((l) => l.stream === "event" && /exited: code 3/.test(l.line) && l.level === "error")).toBe(true);
  }, 30_000);

  it("reports a command that cannot be spawned as a JSON-RPC error on initialize", async () => {
    const { h, sink } = await setup({ command: "/nonexistent/mcp-server", args: [] });
    const err = await connectClient(h, "streamable").then(() => null, (e: unknown) => e);
    expect((err as McpError).message).toMatch(/Could not start the MCP server: spawn \/nonexistent\/mcp-server ENOENT/);
    expect(sink.lines.some((l) => l.line.startsWith("spawn failed"))).toBe(true);
  }, 30_000);

  it("answers initialize with an error when spawn() refuses the arguments, and refuses unsafe instance ids up front", async () => {
    const { h, inst } = await setup({ args: ["bad\u0000arg"] });
    const err = await connectClient(h, "streamable").then(() => null, (e: unknown) => e);
    expect((err as McpError).message).toMatch(/Could not start the MCP server/);
    expect(inst.stats()).toEqual({ processes: 0, sessions: 0 });
    expect(() => createStdioInstance({ instanceId: "../escape", config: hostedConfig(), logSink: memorySink() })).toThrow(/Invalid instance id/);
  }, 30_000);

  it("answers a request the server does not answer in time with a JSON-RPC timeout error and cancels it on the server", async () => {
    const { h, sink } = await setup({ args: [FIXTURE], requestTimeoutMs: 300 });
    const a = await connectClient(h, "sse");
    const err = await a.client.callTool({ name: "slow", arguments: { ms: 3000 } }).then(() => null, (e: unknown) => e);
    expect((err as McpError).code).toBe(-32001);
    expect((err as McpError).message).toMatch(/did not answer within 300 ms/);
    await waitFor(() => sink.lines.some((l) => l.line === "fixture: slow 3000 cancelled"), 5000, "the server to see the cancellation");
    expect(textOf(await a.client.callTool({ name: "slow", arguments: { ms: 1 } }))).toBe("slept 1");
  }, 30_000);

  it("runs the child in the instance's folder with a minimal environment plus the instance's variables", async () => {
    process.env.GATEWAY_ONLY_SECRET = "must-not-leak";
    const { h } = await setup({ args: [FIXTURE], env: [{ name: "FIXTURE_SECRET", value: "s3cret", secret: true }] }, "env-check");
    const a = await connectClient(h, "streamable");
    const who = JSON.parse(textOf(await a.client.callTool({ name: "whoami", arguments: {} })));
    delete process.env.GATEWAY_ONLY_SECRET;
    expect(who.cwd).toBe(`${dataDir}/instances/env-check`);
    expect(who.secret).toBe("s3cret");
    expect(who.envKeys).not.toContain("GATEWAY_ONLY_SECRET");
    expect(who.envKeys).not.toContain("NODE_OPTIONS");
    expect(who.envKeys).toContain("PATH");
  }, 30_000);

  it("routes a server→client request (sampling) to the session and relays its response to the child", async () => {
    const { h } = await setup({ args: [FIXTURE] });
    for (const kind of ["streamable", "sse"] as const) {
      const { client } = await connectClient(h, kind, { capabilities: { capabilities: { sampling: {}, roots: {} } } });
      const { CreateMessageRequestSchema, ListRootsRequestSchema } = await import("@modelcontextprotocol/sdk/types.js");
      client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
        const c = req.params.messages[0]?.content as { text?: string };
        return { role: "assistant", content: { type: "text", text: `${kind}:${c.text}` }, model: "test" };
      });
      client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: `file:///${kind}` }] }));
      expect(textOf(await client.callTool({ name: "ask-sampling", arguments: { tag: "t1" } }))).toBe(`sampled:${kind}:t1`);
      expect(textOf(await client.callTool({ name: "ask-roots", arguments: {} }))).toBe(`roots:file:///${kind}`);
      await client.close();
    }
  }, 30_000);
});
