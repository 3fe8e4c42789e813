// The runtime reconcile loop end to end: instances created, stopped, edited, restarted and deleted
// through the console's services take effect on a gateway (proxy + runtime roles) through config
// events, and a real MCP client reaches the hosted stdio server with a real token.
import { hostedConfig } from "../runtime/stdio/testing/harness";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { and, desc, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instance, instanceEvent } from "@/db/schema/instances";
import { getDb } from "@/lib/db";
import { createInstance } from "@/lib/services/instances/create-instance";
import { deleteInstance } from "@/lib/services/instances/delete-instance";
import { restartInstance } from "@/lib/services/instances/restart-instance";
import { stopInstance } from "@/lib/services/instances/stop-instance";
import { startInstance } from "@/lib/services/instances/start-instance";
import { updateInstance } from "@/lib/services/instances/update-instance";
import { createToken } from "@/lib/services/tokens/create-token";
import type { TCtx } from "@/lib/context";
import type { THostedConfig } from "@/lib/validation/instances";
import { ctxFor, makeOrg } from "@/test/fixtures";
import { startGateway, type TGateway } from "../server";

const bin = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
let gw: TGateway;
let owner: TCtx;
let instanceId: string;
let token: string;

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function echo(message: string): Promise<string> {
  const client = new Client({ name: "lifecycle", version: "1" });
  const url = new URL(`http://127.0.0.1:${gw.port}/mcp-gateway/${instanceId}/mcp`);
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  try {
    const r = await client.callTool({ name: "echo", arguments: { message } });
    return (r.content as { text: string }[])[0]!.text;
  } finally {
    await client.close();
  }
}

async function status(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${gw.port}/mcp-gateway/${instanceId}/mcp`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "p", version: "1" } } }),
  });
  await res.body?.cancel();
  return res.status;
}

const observed = async (): Promise<string | undefined> =>
  (await getDb().select({ s: instance.observedState }).from(instance).where(eq(instance.id, instanceId)))[0]?.s;

describe("hosted stdio lifecycle through the reconcile loop", () => {
  beforeAll(async () => {
    const o = await makeOrg();
    owner = await ctxFor(o.owner, o.orgId);
    gw = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy", "runtime"], logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
    const created = await createInstance({
      ctx: owner,
      input: {
        name: "everything",
        description: "",
        source: "custom",
        public: false,
        config: hostedConfig({ args: [bin, "stdio"], env: [{ name: "GREETING", value: "s3cret-value", secret: true }], startupTimeoutMs: 60_000, maxSessions: 10 }),
      },
    });
    instanceId = created.id;
    token = (await createToken({ ctx: owner, instanceId, input: { type: "bearer", value: { mode: "generate" }, label: "t", tags: [], expiresAt: null, enabled: true, headers: [] } })).value;
  });

  afterAll(async () => {
    await gw.close(500);
  });

  it("a created instance comes up and serves a real MCP client with its token", async () => {
    await until("observed running", async () => (await observed()) === "running");
    expect(await echo("first")).toBe("Echo: first");
    expect(gw.hosted!.statsOf(instanceId)).not.toBeNull();
  });

  it("stop takes effect within 2 s: 503 to clients, every process ended, a lifecycle event", async () => {
    await stopInstance({ ctx: owner, instanceId });
    await until("503 after stop", async () => (await status()) === 503);
    await until("observed stopped", async () => (await observed()) === "stopped");
    expect(gw.hosted!.statsOf(instanceId)).toBeNull();
    await startInstance({ ctx: owner, instanceId });
    await until("serving after start", async () => (await status()) === 200);
    expect(await echo("again")).toBe("Echo: again");
  });

  it("an edit (new config version) and a restart each roll out within 2 s", async () => {
    const [before] = await getDb().select({ v: instance.configVersion }).from(instance).where(eq(instance.id, instanceId));
    const view = await updateInstance({ ctx: owner, instanceId, input: { config: { ...(await currentConfig()), sessionMode: "shared" } } });
    expect(view.configVersion).toBe(before!.v + 1);
    await until("restarted event for the new version", async () => (await lastEvent())?.type === "restarted");
    expect(await echo("shared")).toBe("Echo: shared");
    const events = await getDb().select().from(instanceEvent).where(eq(instanceEvent.instanceId, instanceId));
    await restartInstance({ ctx: owner, instanceId });
    await until("another restarted event", async () => (await getDb().select().from(instanceEvent).where(eq(instanceEvent.instanceId, instanceId))).length > events.length);
    expect(await echo("after restart")).toBe("Echo: after restart");
    const metrics = await (await fetch(`http://127.0.0.1:${gw.port}/metrics`)).text();
    // Other test files leave hosted instances in this run's database; the registry runs them too.
    expect(metrics).toMatch(/^mcpcan_gateway_instance_restarts_total \d+$/m);
    expect(Number(/^mcpcan_gateway_instance_restarts_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/^mcpcan_gateway_hosted_instances [1-9]\d*$/m);
  });

  it("delete stops everything and the URL answers 401 like any unknown instance", async () => {
    await deleteInstance({ ctx: owner, instanceId });
    await until("gone", async () => gw.hosted!.statsOf(instanceId) === null && (await status()) === 401);
  });
});

async function currentConfig(): Promise<THostedConfig> {
  const [row] = await getDb().select({ c: instance.config }).from(instance).where(eq(instance.id, instanceId));
  // The stored config holds sealed secrets; the API's PATCH takes the masked form and keeps them.
  const c = row!.c as { env: { name: string; value: string; secret: boolean }[] };
  return { ...c, env: c.env.map((e) => (e.secret ? { ...e, value: "********" } : e)) } as unknown as THostedConfig;
}

async function lastEvent(): Promise<{ type: string } | undefined> {
  const [e] = await getDb()
    .select({ type: instanceEvent.type })
    .from(instanceEvent)
    .where(and(eq(instanceEvent.instanceId, instanceId)))
    .orderBy(desc(instanceEvent.createdAt))
    .limit(1);
  return e;
}
