// createHttpInstance on its own, behind a bare HTTP server standing in for the proxy: forwarding,
// streaming, timeouts, startup timeout, and that close() leaves no process (grandchildren included).
import { randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { THostedConfig } from "@/lib/validation/instances";
import type { TContainerLogLine } from "../logs/container-log-publisher";
import { createHttpInstance, type THttpInstance, type THttpInstanceState } from "./http-instance";

const fixture = path.resolve("gateway/runtime/http/__fixtures__/test-server.mjs");
const servers: http.Server[] = [];

function config(over: Partial<THostedConfig> = {}): THostedConfig {
  return {
    accessMode: "hosted", transport: "streamable_http", command: process.execPath, args: [fixture], env: [{ name: "FOO", value: "bar", secret: true }],
    codePackageId: null, initScript: null, port: null, path: "/mcp", startupTimeoutMs: 10_000, idleTimeoutMs: 600_000,
    sessionMode: "per_session", maxSessions: 10, minReplicas: 1, maxReplicas: 2, requestTimeoutMs: 1000, ...over,
  };
}

async function front(inst: THttpInstance, instanceId: string): Promise<string> {
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => void inst.handle(req, res, chunks.length ? Buffer.concat(chunks) : null, { instanceId, basePath: `/mcp-gateway/${instanceId}`, passHeaders: { "x-pass": "p" } }));
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(srv.address() as { port: number }).port}/mcp-gateway/${instanceId}`;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => T | undefined | null | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe("createHttpInstance", () => {
  it("forwards with pass headers and query, streams SSE as it arrives, 504s a slow answer, 404s other paths, and close() leaves no process", async () => {
    const id = randomUUID();
    const lines: TContainerLogLine[] = [];
    const inst = createHttpInstance({ instanceId: id, config: config(), replicas: 2, logSink: (l) => lines.push(l) });
    try {
      const base = await front(inst, id);
      const r = await fetch(`${base}/mcp?a=1`, { method: "POST", headers: { "content-type": "application/json", "x-client": "c" }, body: '{"x":1}' });
      expect(r.status).toBe(200);
      const j = (await r.json()) as { headers: Record<string, string>; body: string; query: string };
      expect(j.body).toBe('{"x":1}');
      expect(j.query).toBe("?a=1");
      expect(j.headers["x-pass"]).toBe("p");
      expect(j.headers["x-client"]).toBe("c");

      const t0 = Date.now();
      const sse = await fetch(`${base}/mcp`);
      const reader = sse.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain("data: one");
      expect(Date.now() - t0).toBeLessThan(350);
      await reader.cancel();

      const slow = await fetch(`${base}/mcp`, { method: "POST", headers: { "x-delay": "3000" }, body: "{}" });
      expect(slow.status).toBe(504);
      await slow.body?.cancel();
      const slowRpc = await fetch(`${base}/mcp`, { method: "POST", headers: { "x-delay": "3000" }, body: '{"jsonrpc":"2.0","id":7,"method":"tools/list"}' });
      expect(slowRpc.status).toBe(200);
      expect(await slowRpc.json()).toEqual({ jsonrpc: "2.0", id: 7, error: { code: -32001, message: "The server did not answer within 1000 ms." } });
      const other = await fetch(`${base}/sse`);
      expect(other.status).toBe(404);
      await other.body?.cancel();

      expect(inst.stats().processes).toBe(2);
      await until("grandchildren logged", () => lines.filter((l) => l.stream === "stdout" && l.line.startsWith("grandchild ")).length === 2);
    } finally {
      await inst.close();
    }
    const pids = lines.flatMap((l) => {
      const m = /^(?:grandchild (\d+)|started on port \d+ \(pid (\d+)\))$/.exec(l.line);
      return m ? [Number(m[1] ?? m[2])] : [];
    });
    expect(pids.length).toBe(4);
    await until("every process gone", () => pids.every((p) => !alive(p)));
    expect(inst.stats().processes).toBe(0);
  }, 20_000);

  it("a replica not accepting connections within startupTimeoutMs is killed; after the crash limit the instance is failed and answers 503", async () => {
    const id = randomUUID();
    const lines: TContainerLogLine[] = [];
    const states: THttpInstanceState[] = [];
    const inst = createHttpInstance({
      instanceId: id, config: config({ args: ["-e", "setInterval(() => {}, 1000)"], startupTimeoutMs: 1000 }), replicas: 1,
      logSink: (l) => lines.push(l), onStateChange: (s) => states.push(s), maxCrashes: 1, backoffMs: 100,
    });
    try {
      await until("failed", () => states.includes("failed"), 5000);
      expect(lines.some((l) => /^not accepting connections on port \d+ within 1000 ms; killed$/.test(l.line))).toBe(true);
      const base = await front(inst, id);
      const r = await fetch(`${base}/mcp`, { method: "POST", body: "{}" });
      expect(r.status).toBe(503);
      await r.body?.cancel();
      const rpc = await fetch(`${base}/mcp`, { method: "POST", body: '{"jsonrpc":"2.0","id":"a","method":"ping"}' });
      expect(rpc.status).toBe(503);
      expect(((await rpc.json()) as { id: string; error: { code: number } }).error.code).toBe(-32000);
    } finally {
      await inst.close();
    }
  }, 15_000);
});
