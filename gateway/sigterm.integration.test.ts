// The gateway process itself under SIGTERM: an in-flight MCP call to a hosted instance finishes,
// the process exits 0, and none of the hosted instances' child processes is left behind.
import { hostedConfig } from "./runtime/stdio/testing/harness";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, it } from "vitest";
import { createInstance } from "@/lib/services/instances/create-instance";
import type { THostedConfig } from "@/lib/validation/instances";
import { ctxFor, makeOrg } from "@/test/fixtures";

const bin = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");

/** Child processes of `pid` whose command line mentions `needle` (tsx's own esbuild helper is not ours). */
function childrenOf(pid: number, needle: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid && readFileSync(`/proc/${name}/cmdline`, "utf8").includes(needle)) out.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function hosted(sessionMode: "shared" | "per_session"): THostedConfig {
  return hostedConfig({ args: [bin, "stdio"], sessionMode, startupTimeoutMs: 30_000, maxSessions: 10 });
}

it("SIGTERM lets an in-flight call finish, exits 0 and leaves no hosted process behind", async () => {
  const o = await makeOrg();
  const owner = await ctxFor(o.owner, o.orgId);
  const shared = await createInstance({ ctx: owner, input: { name: "shared", description: "", source: "custom", public: true, config: hosted("shared") } });
  const perSession = await createInstance({ ctx: owner, input: { name: "per-session", description: "", source: "custom", public: true, config: hosted("per_session") } });
  const port = await freePort();
  const gw = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts"], {
    env: { ...process.env, GATEWAY_PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "silent" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<number | null>((r) => gw.once("exit", (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error("gateway did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const clients: Client[] = [];
  for (const id of [shared.id, perSession.id]) {
    const c = new Client({ name: "sigterm", version: "1" });
    await c.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp-gateway/${id}/mcp`)));
    clients.push(c);
  }
  const children = childrenOf(gw.pid!, "server-everything");
  expect(children.length).toBeGreaterThanOrEqual(2);
  const inFlight = clients[1]!.callTool({ name: "trigger-long-running-operation", arguments: { duration: 2, steps: 2 } });
  await new Promise((r) => setTimeout(r, 300));
  gw.kill("SIGTERM");
  const result = await inFlight;
  expect(JSON.stringify(result.content)).toMatch(/completed/i);
  expect(await exited).toBe(0);
  expect(children.filter(alive)).toEqual([]);
}, 90_000);
