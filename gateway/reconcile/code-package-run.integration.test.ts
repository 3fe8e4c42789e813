// Issue 3 point 6: a code package uploaded through the service runs with the instance's command in
// (a copy of) its folder, after the instance's init script, and is reached through the gateway.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, expect, it } from "vitest";
import { instance, instanceEvent } from "@/db/schema/instances";
import { buildTar, gzip } from "@/lib/code-packages/test-archives";
import { getDb } from "@/lib/db";
import { createCodePackage } from "@/lib/services/code-packages/create-code-package";
import { createInstance } from "@/lib/services/instances/create-instance";
import { ctxFor, makeOrg } from "@/test/fixtures";
import { startGateway, type TGateway } from "../server";

// A small MCP server shipped in the package; it reports what the init script left in its folder.
const SERVER = `
import { readFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
const server = new McpServer({ name: "packaged", version: "1.0.0" });
server.registerTool("marker", { description: "What the init script wrote" }, async () => ({
  content: [{ type: "text", text: readFileSync("marker.txt", "utf8").trim() + " in " + process.cwd().split("/").slice(-2).join("/") }],
}));
await server.connect(new StdioServerTransport());
`;

let gw: TGateway | undefined;
afterAll(async () => {
  await gw?.close(500);
});

async function* chunks(b: Buffer): AsyncIterable<Uint8Array> {
  yield b;
}

it("runs the instance's command in a prepared copy of its code package, after the init script", async () => {
  const o = await makeOrg();
  const owner = await ctxFor(o.owner, o.orgId);
  const archive = gzip(buildTar([{ name: "app/server.mjs", data: SERVER }]));
  const pkg = await createCodePackage({ ctx: owner, input: { name: "packaged-server" }, body: chunks(archive) });
  gw = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy", "runtime"], logger: pino({ level: "silent" }) });
  const created = await createInstance({
    ctx: owner,
    input: {
      name: "from-package",
      description: "",
      source: "code_package",
      public: true,
      config: {
        accessMode: "hosted",
        transport: "stdio",
        command: process.execPath,
        args: ["app/server.mjs"],
        env: [{ name: "MARK", value: "prepared-by-init", secret: false }],
        codePackageId: pkg.id,
        initScript: 'echo "$MARK" > marker.txt && test -f app/server.mjs',
        port: null,
        path: "/mcp",
        startupTimeoutMs: 30_000,
        idleTimeoutMs: 600_000,
        sessionMode: "per_session",
        maxSessions: 5,
        minReplicas: 1,
        maxReplicas: 1,
        requestTimeoutMs: 30_000,
      },
    },
  });
  const deadline = Date.now() + 20_000;
  while ((await getDb().select({ s: instance.observedState }).from(instance).where(eq(instance.id, created.id)))[0]?.s !== "running") {
    if (Date.now() > deadline) throw new Error("instance did not come up");
    await new Promise((r) => setTimeout(r, 50));
  }
  const client = new Client({ name: "t", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${gw.port}/mcp-gateway/${created.id}/mcp`)));
  const r = await client.callTool({ name: "marker", arguments: {} });
  expect((r.content as { text: string }[])[0]!.text).toBe(`prepared-by-init in instances/${created.id}`);
  await client.close();
  const events = (await getDb().select().from(instanceEvent).where(eq(instanceEvent.instanceId, created.id))).map((e) => e.type);
  expect(events).toEqual(expect.arrayContaining(["prepared", "started"]));
});

it("a failing init script turns the instance failed with the reason, and nothing is started", async () => {
  const o = await makeOrg();
  const owner = await ctxFor(o.owner, o.orgId);
  gw ??= await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy", "runtime"], logger: pino({ level: "silent" }) });
  const created = await createInstance({
    ctx: owner,
    input: {
      name: "broken-init",
      description: "",
      source: "custom",
      public: true,
      config: {
        accessMode: "hosted",
        transport: "stdio",
        command: process.execPath,
        args: ["-e", "setInterval(() => {}, 1000)"],
        env: [],
        codePackageId: null,
        initScript: "echo about to fail >&2; exit 3",
        port: null,
        path: "/mcp",
        startupTimeoutMs: 30_000,
        idleTimeoutMs: 600_000,
        sessionMode: "shared",
        maxSessions: 5,
        minReplicas: 1,
        maxReplicas: 1,
        requestTimeoutMs: 30_000,
      },
    },
  });
  const deadline = Date.now() + 20_000;
  let row: { s: string; m: string | null } | undefined;
  for (;;) {
    [row] = await getDb().select({ s: instance.observedState, m: instance.observedMessage }).from(instance).where(eq(instance.id, created.id));
    if (row?.s === "failed" || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(row).toEqual({ s: "failed", m: "Init script exited with code 3" });
  expect(gw.hosted!.statsOf(created.id)).toBeNull();
});
