// The proxy's hook for hosted instances with the real stdio runtime behind it: a server-everything
// stdio process served to both client transports through /mcp-gateway/{id}/mcp and /sse.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pino from "pino";
import { expect, it } from "vitest";
import { instance } from "@/db/schema/instances";
import { getDb } from "@/lib/db";
import type { THostedConfig } from "@/lib/validation/instances";
import { makeOrg } from "@/test/fixtures";
import { createStdioInstance } from "../runtime/stdio";
import { startGateway } from "../server";

it("serves a hosted stdio instance (runtime createStdioInstance) through resolveLocalUpstream over Streamable HTTP and legacy SSE", async () => {
  const { orgId } = await makeOrg();
  const bin = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
  const config = { accessMode: "hosted", transport: "stdio", command: process.execPath, args: [bin, "stdio"], env: [], codePackageId: null, initScript: null, port: null, path: "/mcp", startupTimeoutMs: 60_000, idleTimeoutMs: 600_000, sessionMode: "per_session", maxSessions: 50, minReplicas: 1, maxReplicas: 1, requestTimeoutMs: 120_000 } as THostedConfig;
  const id = randomUUID();
  await getDb().insert(instance).values({ id, organizationId: orgId, name: "h", source: "custom", accessMode: "hosted", transport: "stdio", config, public: true });
  const stdio = createStdioInstance({ instanceId: id, config, logSink: { push: () => undefined } });
  const gw = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: pino({ level: "silent" }), proxy: { resolveLocalUpstream: (i) => (i.id === id ? stdio : null) } });
  try {
    const c1 = new Client({ name: "a", version: "1" });
    await c1.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${gw.port}/mcp-gateway/${id}/mcp`)));
    const r = await c1.callTool({ name: "echo", arguments: { message: "hosted" } });
    expect(r.content).toEqual([{ type: "text", text: "Echo: hosted" }]);
    await c1.close();
    const c2 = new Client({ name: "b", version: "1" });
    await c2.connect(new SSEClientTransport(new URL(`http://127.0.0.1:${gw.port}/mcp-gateway/${id}/sse`)));
    const r2 = await c2.callTool({ name: "echo", arguments: { message: "hosted-sse" } });
    expect(r2.content).toEqual([{ type: "text", text: "Echo: hosted-sse" }]);
    await c2.close();
  } finally {
    await gw.close(500);
    await stdio.close();
  }
});
