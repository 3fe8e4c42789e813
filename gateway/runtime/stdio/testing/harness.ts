// Test scaffolding: a plain node http server that reads the body the way the proxy does and hands the
// request to a hosted stdio instance, plus MCP SDK clients over both transports.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { resetEnvForTests } from "@/lib/env";
import type { THostedConfig } from "@/lib/validation/instances";
import type { TContainerLogLine, TContainerLogSink } from "../../logs/container-log-publisher";
import type { TStdioInstance } from "../index";

const root = path.resolve(__dirname, "../../../..");
export const EVERYTHING = path.join(root, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
export const FIXTURE = path.join(root, "gateway/runtime/__fixtures__/client-request-server.mjs");

/** Points MCPCAN_DATA_DIR at a fresh temporary folder (working directories land there). */
export function useTempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcpcan-runtime-"));
  process.env.MCPCAN_DATA_DIR = dir;
  resetEnvForTests();
  return dir;
}

export function hostedConfig(over: Partial<THostedConfig> = {}): THostedConfig {
  return {
    accessMode: "hosted",
    transport: "stdio",
    command: process.execPath,
    args: [EVERYTHING, "stdio"],
    env: [],
    codePackageId: null,
    initScript: null,
    port: null,
    path: "/mcp",
    startupTimeoutMs: 30_000,
    idleTimeoutMs: 600_000,
    sessionMode: "per_session",
    maxSessions: 50,
    minReplicas: 1,
    maxReplicas: 1,
    requestTimeoutMs: 60_000,
    ...over,
  };
}

export function memorySink(): TContainerLogSink & { lines: Array<TContainerLogLine & { instanceId: string }> } {
  const lines: Array<TContainerLogLine & { instanceId: string }> = [];
  return { lines, push: (instanceId, line) => lines.push({ ...line, instanceId }) };
}

export type THarness = { baseUrl: string; basePath: string; close(): Promise<void> };

export async function startHarness(instance: TStdioInstance, instanceId: string): Promise<THarness> {
  const basePath = `/mcp-gateway/${instanceId}`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = req.method === "POST" ? Buffer.concat(chunks) : null;
      instance.handle(req, res, body, { instanceId, basePath, passHeaders: {} }).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    basePath,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type TTransportKind = "streamable" | "sse";

export async function connectClient(
  h: THarness,
  kind: TTransportKind,
  opts: { name?: string; capabilities?: ConstructorParameters<typeof Client>[1] } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport | SSEClientTransport }> {
  const client = new Client({ name: opts.name ?? "runtime-test", version: "1.0.0" }, opts.capabilities);
  const transport = kind === "streamable" ? new StreamableHTTPClientTransport(new URL(`${h.baseUrl}/mcp`)) : new SSEClientTransport(new URL(`${h.baseUrl}/sse`));
  await client.connect(transport);
  return { client, transport };
}

/** True while a process with this pid exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? "").join("");
}

/**
 * Records every message the client transport receives. The SDK client runs notification handlers a
 * microtask late, so a progress notification that arrives in the same read as its response is lost
 * to `onprogress`; counting at the transport sees what the gateway actually delivered.
 */
export function recordMessages(transport: { onmessage?: (msg: never, extra?: never) => void }): Array<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  const inner = transport.onmessage;
  transport.onmessage = ((msg: Record<string, unknown>, extra?: unknown) => {
    seen.push(msg);
    (inner as ((m: unknown, e?: unknown) => void) | undefined)?.(msg, extra);
  }) as never;
  return seen;
}

/** Progress values a recorded session received for one progress token. */
export function progressFor(seen: Array<Record<string, unknown>>, token: unknown): number[] {
  return seen
    .filter((m) => m.method === "notifications/progress" && (m.params as { progressToken?: unknown }).progressToken === token)
    .map((m) => (m.params as { progress: number }).progress);
}
