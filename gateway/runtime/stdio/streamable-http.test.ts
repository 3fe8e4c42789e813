// The Streamable HTTP and legacy SSE surfaces spoken by hand: status codes, headers, exact ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStdioInstance, type TStdioInstance } from "./index";
import { FIXTURE, hostedConfig, memorySink, startHarness, useTempDataDir, type THarness } from "./testing/harness";

const ACCEPT_BOTH = "application/json, text/event-stream";

function initBody(id: unknown, version = "2025-06-18"): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
}

/** The JSON-RPC messages of an SSE body. */
function sseMessages(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n\n")
    .map((e) => e.split("\n").find((l) => l.startsWith("data: ")))
    .filter((l): l is string => Boolean(l))
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

for (const sessionMode of ["per_session", "shared"] as const) {
  describe(`raw Streamable HTTP (${sessionMode})`, () => {
    let inst: TStdioInstance;
    let h: THarness;
    beforeAll(async () => {
      useTempDataDir();
      const id = `raw-${sessionMode.replace("_", "")}`;
      inst = createStdioInstance({ instanceId: id, config: hostedConfig({ sessionMode, args: [FIXTURE] }), logSink: memorySink() });
      h = await startHarness(inst, id);
    });
    afterAll(async () => {
      await inst.close();
      await h.close();
    });

    async function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
      return fetch(`${h.baseUrl}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: ACCEPT_BOTH, ...headers }, body });
    }

    async function open(): Promise<string> {
      const res = await post(initBody("init-1"));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/event-stream");
      const sid = res.headers.get("mcp-session-id")!;
      expect(sseMessages(await res.text())).toMatchObject([{ jsonrpc: "2.0", id: "init-1", result: { serverInfo: { name: "runtime-fixture" } } }]);
      expect((await post(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), { "mcp-session-id": sid })).status).toBe(202);
      return sid;
    }

    it("keeps string and number ids exactly, including ids that collide across types", async () => {
      const sid = await open();
      const batch = [
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "slow", arguments: { ms: 30 } } },
        { jsonrpc: "2.0", id: "1", method: "tools/call", params: { name: "slow", arguments: { ms: 10 } } },
        { jsonrpc: "2.0", id: "ümlaut \"quoted\"", method: "tools/list" },
      ];
      const res = await post(JSON.stringify(batch), { "mcp-session-id": sid, accept: "application/json" });
      expect(res.headers.get("content-type")).toBe("application/json");
      const answers = (await res.json()) as Array<{ id: unknown; result: { content?: Array<{ text: string }> } }>;
      const byId = new Map(answers.map((a) => [JSON.stringify(a.id), a]));
      expect(byId.size).toBe(3);
      expect(byId.get("1")!.result.content![0]!.text).toBe("slept 30");
      expect(byId.get('"1"')!.result.content![0]!.text).toBe("slept 10");
      expect(byId.has(JSON.stringify("ümlaut \"quoted\""))).toBe(true);
    }, 30_000);

    it("answers protocol errors with the right status: 400 without a session, 404 for an unknown one, 409 for a second GET, 400 for bad JSON", async () => {
      const sid = await open();
      expect((await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }))).status).toBe(400);
      expect((await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { "mcp-session-id": "nope" })).status).toBe(404);
      expect((await post("{not json", { "mcp-session-id": sid })).status).toBe(400);
      expect((await post(initBody(2), { "mcp-session-id": sid })).status).toBe(400);
      const ac = new AbortController();
      const get1 = await fetch(`${h.baseUrl}/mcp`, { headers: { accept: "text/event-stream", "mcp-session-id": sid }, signal: ac.signal });
      expect(get1.status).toBe(200);
      const get2 = await fetch(`${h.baseUrl}/mcp`, { headers: { accept: "text/event-stream", "mcp-session-id": sid } });
      expect(get2.status).toBe(409);
      ac.abort();
      const del = await fetch(`${h.baseUrl}/mcp`, { method: "DELETE", headers: { "mcp-session-id": sid } });
      expect(del.status).toBe(200);
      expect((await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { "mcp-session-id": sid })).status).toBe(404);
      expect((await fetch(`${h.baseUrl}/elsewhere`)).status).toBe(404);
    }, 30_000);

    it("relays a client's cancellation to the server under the server's id and closes the request's stream", async () => {
      const sink = memorySink();
      const id = `cancel-${sessionMode.replace("_", "")}`;
      const own = createStdioInstance({ instanceId: id, config: hostedConfig({ sessionMode, args: [FIXTURE] }), logSink: sink });
      const oh = await startHarness(own, id);
      try {
        const res = await fetch(`${oh.baseUrl}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: ACCEPT_BOTH }, body: initBody(0) });
        const sid = res.headers.get("mcp-session-id")!;
        await res.text();
        const headers = { "content-type": "application/json", accept: ACCEPT_BOTH, "mcp-session-id": sid };
        await fetch(`${oh.baseUrl}/mcp`, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) });
        const slow = fetch(`${oh.baseUrl}/mcp`, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: "slow-1", method: "tools/call", params: { name: "slow", arguments: { ms: 20000 } } }) });
        await new Promise((r) => setTimeout(r, 300));
        const cancel = await fetch(`${oh.baseUrl}/mcp`, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "slow-1", reason: "user" } }) });
        expect(cancel.status).toBe(202);
        // The request's stream ends without a response; the server saw the cancellation of its own id.
        expect(sseMessages(await (await slow).text())).toEqual([]);
        const deadline = Date.now() + 5000;
        while (!sink.lines.some((l) => l.line === "fixture: slow 20000 cancelled") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
        expect(sink.lines.some((l) => l.line === "fixture: slow 20000 cancelled")).toBe(true);
      } finally {
        await own.close();
        await oh.close();
      }
    }, 30_000);

    it("serves the legacy SSE transport with the endpoint event pointing at the gateway path", async () => {
      const ac = new AbortController();
      const res = await fetch(`${h.baseUrl}/sse`, { headers: { accept: "text/event-stream" }, signal: ac.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value);
      const m = /^event: endpoint\ndata: (\S+)\n\n/.exec(text);
      expect(m?.[1]).toMatch(new RegExp(`^${h.basePath}/message\\?sessionId=[0-9a-f-]{36}$`));
      const post = await fetch(new URL(m![1]!, h.baseUrl), { method: "POST", headers: { "content-type": "application/json" }, body: initBody(42, "2024-11-05") });
      expect(post.status).toBe(202);
      while (!text.includes('"id":42')) text += new TextDecoder().decode((await reader.read()).value);
      expect(sseMessages(text.slice(text.indexOf("\n\n") + 2))).toMatchObject([{ id: 42, result: { serverInfo: { name: "runtime-fixture" } } }]);
      ac.abort();
      expect((await fetch(`${h.baseUrl}/message?sessionId=unknown`, { method: "POST", body: "{}" })).status).toBe(404);
    }, 30_000);
  });
}
