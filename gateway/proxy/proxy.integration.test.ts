// The proxy role end to end: the real MCP SDK client → two in-process gateways (shared Postgres and
// Redis of this run) → real server-everything upstreams (Streamable HTTP and legacy SSE child
// processes) and a header-recording upstream.
import { randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { eq } from "drizzle-orm";
import Redis from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instance } from "@/db/schema/instances";
import { accessToken, type TTokenHeader } from "@/db/schema/tokens";
import { encryptSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { publishConfigEvent } from "@/lib/events/config-bus";
import { getRedis } from "@/lib/redis";
import { encodeBasic, generateTokenValue, tokenLookupHash } from "@/lib/tokens/credential";
import type { TInstanceConfig, TTokenType } from "@/lib/validation/instances";
import { createInstance } from "@/lib/services/instances/create-instance";
import { createToken } from "@/lib/services/tokens/create-token";
import { deleteToken } from "@/lib/services/tokens/delete-token";
import { updateToken } from "@/lib/services/tokens/update-token";
import { ctxFor, makeOrg } from "@/test/fixtures";
import { ACCESS_EVENTS_STREAM, type TAccessEvent } from "../events/access-events";
import { startGateway, type TGateway } from "../server";
import type { TLocalRequestContext, TLocalUpstream } from "../upstream/types";
import { UNAUTHORIZED_BODY } from "./respond";
import { startEverything, startRecordingUpstream, type TChildUpstream, type TRecordingUpstream } from "./test-upstreams";

const silent = pino({ level: "silent" });
const cleanups: Array<() => Promise<unknown> | unknown> = [];
let orgId: string;
let owner: Awaited<ReturnType<typeof makeOrg>>["owner"];
let gwA: TGateway;
let gwB: TGateway;
let everythingHttp: TChildUpstream;
let everythingSse: TChildUpstream;
let recorder: TRecordingUpstream;

const base = (gw: TGateway): string => `http://127.0.0.1:${gw.port}`;

async function makeInstance(config: TInstanceConfig, extra: Partial<typeof instance.$inferInsert> = {}): Promise<string> {
  const id = randomUUID();
  await getDb()
    .insert(instance)
    .values({ id, organizationId: orgId, name: `i-${id.slice(0, 6)}`, source: "custom", accessMode: config.accessMode, transport: config.transport, config, ...extra });
  return id;
}

type TMadeToken = { id: string; value: string; headers: Record<string, string> };

/** Inserts a token row as the console would (HMAC for lookup, encrypted copy) and returns how a client presents it. */
async function makeToken(instanceId: string, type: TTokenType = "bearer", extra: Partial<typeof accessToken.$inferInsert> = {}): Promise<TMadeToken> {
  const id = randomUUID();
  let value = generateTokenValue();
  if (type === "basic") value = encodeBasic(`user-${id.slice(0, 4)}`, generateTokenValue());
  await getDb()
    .insert(accessToken)
    .values({ id, organizationId: orgId, instanceId, type, lookupHash: tokenLookupHash(value), valueEncrypted: encryptSecret(value), hint: value.slice(0, 12), ...extra });
  const headers: Record<string, string> =
    type === "bearer" ? { Authorization: `Bearer ${value}` } : type === "basic" ? { Authorization: `Basic ${value}` } : type === "api_key" ? { "Api-Key": value } : { "X-API-Key": value };
  return { id, value, headers };
}

const httpConfig = (url: string, more: Partial<TInstanceConfig> = {}): TInstanceConfig =>
  ({ accessMode: "proxy", transport: "streamable_http", url, headers: [], requestTimeoutMs: 30_000, ...more }) as TInstanceConfig;

async function connectStreamable(gw: TGateway, instanceId: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "gateway-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base(gw)}/mcp-gateway/${instanceId}/mcp`), { requestInit: { headers } }));
  cleanups.push(() => client.close());
  return client;
}

async function connectSse(gw: TGateway, instanceId: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "gateway-test-sse", version: "1.0.0" });
  await client.connect(new SSEClientTransport(new URL(`${base(gw)}/mcp-gateway/${instanceId}/sse`), { requestInit: { headers } }));
  cleanups.push(() => client.close());
  return client;
}

function rpc(id: number | string, method: string, params: unknown = {}): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method, params });
}

async function post(gw: TGateway, instanceId: string, headers: Record<string, string>, body: string): Promise<Response> {
  return fetch(`${base(gw)}/mcp-gateway/${instanceId}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body,
  });
}

/** Polls until `check` holds, at most `withinMs`; returns the time it took. */
async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  ({ orgId, owner } = await makeOrg());
  [everythingHttp, everythingSse, recorder] = await Promise.all([startEverything("streamableHttp"), startEverything("sse"), startRecordingUpstream()]);
  cleanups.push(() => everythingHttp.stop(), () => everythingSse.stop(), () => recorder.stop());
  const proxy = { maxBodyBytes: 256 * 1024, tokenRateLimitPerMinute: 10_000, instanceTtlMs: 60_000, tokenTtlMs: 60_000 };
  gwA = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: silent, proxy });
  gwB = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: silent, proxy });
  cleanups.push(() => gwA.close(500), () => gwB.close(500));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

describe("Streamable HTTP through the gateway to server-everything", () => {
  it("initializes, lists tools and calls echo with the MCP SDK client", async () => {
    const id = await makeInstance(httpConfig(everythingHttp.url));
    const tok = await makeToken(id);
    const client = await connectStreamable(gwA, id, tok.headers);
    expect(client.getServerVersion()?.name).toBeTruthy();
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["echo", "trigger-long-running-operation"]));
    const result = await client.callTool({ name: "echo", arguments: { message: "hello through the gateway" } });
    expect(result.content).toEqual([{ type: "text", text: "Echo: hello through the gateway" }]);
  });

  it("streams progress notifications before the tool result (trigger-long-running-operation)", async () => {
    const id = await makeInstance(httpConfig(everythingHttp.url));
    const tok = await makeToken(id);
    const client = await connectStreamable(gwA, id, tok.headers);
    const progressAt: number[] = [];
    const result = await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 1, steps: 4 } }, undefined, {
      onprogress: () => progressAt.push(Date.now()),
    });
    const doneAt = Date.now();
    expect(result.content).toEqual([expect.objectContaining({ type: "text", text: expect.stringContaining("Steps: 4") })]);
    expect(progressAt).toHaveLength(4);
    // The first step is reported while the operation still runs (≈750 ms before its end), not in one burst at the end.
    expect(doneAt - progressAt[0]!).toBeGreaterThan(400);
  });

  it.each(["bearer", "api_key", "x_api_key", "basic"] as const)("accepts a %s token presented its own way, and only that way", async (type) => {
    const id = await makeInstance(httpConfig(everythingHttp.url));
    const tok = await makeToken(id, type);
    const client = await connectStreamable(gwB, id, tok.headers);
    const result = await client.callTool({ name: "echo", arguments: { message: type } });
    expect(result.content).toEqual([{ type: "text", text: `Echo: ${type}` }]);
    // The same value in another header is a different credential type: refused.
    const other: Record<string, string> = type === "api_key" ? { "X-API-Key": tok.value } : { "Api-Key": tok.value };
    const res = await post(gwB, id, other, rpc(1, "initialize"));
    expect(res.status).toBe(401);
  });

  it.each(["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])("negotiates protocol revision %s through the gateway, SSE response and all", async (version) => {
    const id = await makeInstance(httpConfig(everythingHttp.url));
    const tok = await makeToken(id);
    const init = rpc(1, "initialize", { protocolVersion: version, capabilities: {}, clientInfo: { name: "raw", version: "1" } });
    const res = await post(gwA, id, tok.headers, init);
    expect(res.status).toBe(200);
    const session = res.headers.get("mcp-session-id");
    expect(session).toBeTruthy();
    const text = await res.text();
    expect(text).toContain(`"protocolVersion":"${version}"`);
    const list = await post(gwA, id, { ...tok.headers, "mcp-session-id": session!, "mcp-protocol-version": version }, rpc(2, "tools/list"));
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('"name":"echo"');
  });

  it("passes DELETE (session end) through", async () => {
    const id = await makeInstance(httpConfig(everythingHttp.url));
    const tok = await makeToken(id);
    const transport = new StreamableHTTPClientTransport(new URL(`${base(gwA)}/mcp-gateway/${id}/mcp`), { requestInit: { headers: tok.headers } });
    const client = new Client({ name: "t", version: "1" });
    await client.connect(transport);
    expect(transport.sessionId).toBeTruthy();
    const gauge = async (): Promise<number> => Number(/mcpcan_gateway_mcp_sessions (\d+)/.exec(await (await fetch(`${base(gwA)}/metrics`)).text())?.[1]);
    const open = await gauge();
    expect(open).toBeGreaterThan(0);
    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
    expect(await gauge()).toBe(open - 1);
    await client.close();
  });
});

describe("legacy HTTP+SSE through the gateway to server-everything (sse mode)", () => {
  it("rewrites the endpoint event to the gateway and serves tools over it", async () => {
    const id = await makeInstance(httpConfig(everythingSse.url, { transport: "sse" }), { transport: "sse" });
    const tok = await makeToken(id, "x_api_key");
    const client = await connectSse(gwA, id, tok.headers);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain("echo");
    const result = await client.callTool({ name: "echo", arguments: { message: "legacy" } });
    expect(result.content).toEqual([{ type: "text", text: "Echo: legacy" }]);
    const progress: number[] = [];
    await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.9, steps: 3 } }, undefined, { onprogress: () => progress.push(Date.now()) });
    const doneAt = Date.now();
    // server-everything's SSE transport delivers the last step's notification after the result even
    // when connected directly, so the client sees steps - 1; the first arrives mid-operation.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(doneAt - progress[0]!).toBeGreaterThan(300);
  });

  it("shows the client a gateway message URL, and a POST to it works from the other gateway (session in Redis)", async () => {
    const id = await makeInstance(httpConfig(everythingSse.url, { transport: "sse" }), { transport: "sse" });
    const tok = await makeToken(id);
    const ac = new AbortController();
    cleanups.push(() => ac.abort());
    const res = await fetch(`${base(gwA)}/mcp-gateway/${id}/sse`, { headers: { ...tok.headers, accept: "text/event-stream" }, signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value);
    const m = /event: endpoint\ndata: (\S+)/.exec(text);
    expect(m?.[1]).toMatch(new RegExp(`^/mcp-gateway/${id}/message\\?sessionId=[0-9a-f-]{36}$`));
    expect(text).not.toContain(String(everythingSse.port));
    // The POST lands on the other gateway process; the upstream answers on the stream held by A.
    const init = rpc(7, "initialize", { protocolVersion: "2024-11-05", capabilities: {}, clientInfo: { name: "raw", version: "1" } });
    const postRes = await fetch(`${base(gwB)}${m![1]}`, { method: "POST", headers: { ...tok.headers, "content-type": "application/json" }, body: init });
    expect(postRes.status).toBe(202);
    while (!text.includes('"id":7')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"protocolVersion":"2024-11-05"');
    // Another token of the same instance cannot post into this session.
    const other = await makeToken(id);
    const hijack = await fetch(`${base(gwB)}${m![1]}`, { method: "POST", headers: { ...other.headers, "content-type": "application/json" }, body: init });
    expect(hijack.status).toBe(404);
    ac.abort();
  });

  it("explains which endpoint to use when the transport does not match", async () => {
    const sseId = await makeInstance(httpConfig(everythingSse.url, { transport: "sse" }), { transport: "sse" });
    const tok = await makeToken(sseId);
    const res = await post(gwA, sseId, tok.headers, rpc(1, "initialize"));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toContain(`/mcp-gateway/${sseId}/sse`);
  });
});

describe("token auth", () => {
  it("answers 401 with WWW-Authenticate and an identical body for a wrong, missing, unknown-instance or malformed-id request", async () => {
    const id = await makeInstance(httpConfig(everythingHttp.url));
    await makeToken(id);
    const wrong = { Authorization: `Bearer ${generateTokenValue()}` };
    const cases: Array<[string, Record<string, string>]> = [
      [id, wrong],
      [id, {}],
      [randomUUID(), wrong],
      [randomUUID(), {}],
      ["not a valid id!", wrong],
      ["x".repeat(300), {}],
    ];
    const answers = await Promise.all(cases.map(([inst, h]) => fetch(`${base(gwA)}/mcp-gateway/${encodeURIComponent(inst)}/mcp`, { method: "POST", headers: { "content-type": "application/json", ...h }, body: rpc(1, "initialize") })));
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="mcpcan"');
      expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      expect(await res.text()).toBe(UNAUTHORIZED_BODY);
    }
  });

  it("lets anyone call a public instance without a token", async () => {
    const id = await makeInstance(httpConfig(everythingHttp.url), { public: true });
    const client = await connectStreamable(gwA, id, {});
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("drops the cached instance on its config event: making a public instance private takes effect on both gateways within 1 s", async () => {
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`), { public: true });
    for (const gw of [gwA, gwB]) expect((await post(gw, id, {}, rpc(1, "ping"))).status).toBe(200);
    await getDb().update(instance).set({ public: false }).where(eq(instance.id, id));
    expect((await post(gwA, id, {}, rpc(2, "ping"))).status).toBe(200); // cached until the event
    await publishConfigEvent({ kind: "instance", organizationId: orgId, instanceId: id });
    await eventually(async () => (await Promise.all([gwA, gwB].map((gw) => post(gw, id, {}, rpc(3, "ping"))))).every((r) => r.status === 401), 1000);
  });

  it("refuses an expired token without any event", async () => {
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`));
    const tok = await makeToken(id, "bearer", { expiresAt: new Date(Date.now() + 1500) });
    expect((await post(gwA, id, tok.headers, rpc(1, "ping"))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await post(gwA, id, tok.headers, rpc(2, "ping"))).status).toBe(401);
  });

  it.each([
    ["disabled", async (t: TMadeToken) => getDb().update(accessToken).set({ enabled: false }).where(eq(accessToken.id, t.id))],
    ["expired", async (t: TMadeToken) => getDb().update(accessToken).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accessToken.id, t.id))],
    ["deleted", async (t: TMadeToken) => getDb().delete(accessToken).where(eq(accessToken.id, t.id))],
  ])("a %s token gets 401 from both gateway processes within 1 s of the config event", async (_label, change) => {
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`));
    const tok = await makeToken(id);
    // Warm both caches: both would keep answering 200 from cache until the event arrives.
    for (const gw of [gwA, gwB]) expect((await post(gw, id, tok.headers, rpc(1, "ping"))).status).toBe(200);
    await change(tok);
    expect((await post(gwA, id, tok.headers, rpc(2, "ping"))).status).toBe(200); // still cached: the event is what makes it fail
    await publishConfigEvent({ kind: "token", organizationId: orgId, instanceId: id, tokenId: tok.id });
    const statuses = async (): Promise<boolean> => (await Promise.all([gwA, gwB].map((gw) => post(gw, id, tok.headers, rpc(3, "ping"))))).every((r) => r.status === 401);
    await eventually(statuses, 1000);
  });

  it("follows the console's services: a created token works, disabling and deleting it through the services refuses it on both gateways within 1 s", async () => {
    const ctx = await ctxFor(owner, orgId);
    const secret = `svc-secret-${randomUUID()}`;
    const inst = await createInstance({
      ctx,
      input: { name: "svc", description: "", source: "custom", public: false, config: httpConfig(`${recorder.base}/echo`, { headers: [{ name: "X-Upstream-Key", value: secret }] }) },
    });
    const created = await createToken({ ctx, instanceId: inst.id, input: { type: "bearer", value: { mode: "generate" }, label: "", tags: [], expiresAt: null, enabled: true, headers: [] } });
    const headers = { Authorization: `Bearer ${created.value}` };
    const before = recorder.received.length;
    for (const gw of [gwA, gwB]) expect((await post(gw, inst.id, headers, rpc(1, "ping"))).status).toBe(200);
    // The sealed header was opened for the upstream only.
    expect(recorder.received.slice(before).map((r) => r.headers["x-upstream-key"])).toEqual([secret, secret]);
    const bothRefuse = async (): Promise<boolean> => (await Promise.all([gwA, gwB].map((gw) => post(gw, inst.id, headers, rpc(2, "ping"))))).every((r) => r.status === 401);
    await updateToken({ ctx, instanceId: inst.id, tokenId: created.id, input: { enabled: false } });
    await eventually(bothRefuse, 1000);
    await updateToken({ ctx, instanceId: inst.id, tokenId: created.id, input: { enabled: true } });
    await eventually(async () => (await post(gwA, inst.id, headers, rpc(3, "ping"))).status === 200 && (await post(gwB, inst.id, headers, rpc(3, "ping"))).status === 200, 1000);
    await deleteToken({ ctx, instanceId: inst.id, tokenId: created.id });
    await eventually(bothRefuse, 1000);
  });

  it("updates lastUsedAt off the request path", async () => {
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`));
    const tok = await makeToken(id);
    expect((await post(gwA, id, tok.headers, rpc(1, "ping"))).status).toBe(200);
    await eventually(async () => {
      const [row] = await getDb().select({ at: accessToken.lastUsedAt }).from(accessToken).where(eq(accessToken.id, tok.id));
      return row?.at instanceof Date;
    }, 2000);
  });
});

describe("header rules, seen from the upstream", () => {
  it("never forwards client credentials, forwards token headers only with pass-through on, injects instance headers and never returns them", async () => {
    const secret = `upstream-secret-${randomUUID()}`;
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`, { headers: [{ name: "X-Upstream-Key", value: `enc:${encryptSecret(secret)}` }] }));
    const headers: TTokenHeader[] = [
      { name: "X-Tenant", value: "configured-tenant", passThrough: true },
      { name: "X-Internal-Note", value: "configured-note", passThrough: false },
      { name: "X-Default-Only", value: "from-token-config", passThrough: true },
    ];
    const tok = await makeToken(id, "bearer", { headers });
    const before = recorder.received.length;
    const res = await post(gwA, id, { ...tok.headers, "Api-Key": "also-a-credential", Cookie: "session=abc", "X-Tenant": "client-tenant", "X-Internal-Note": "client-note", "X-Random": "r", "mcp-protocol-version": "2099-01-01", "last-event-id": "ev-41", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }, rpc(5, "tools/list"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jsonrpc: "2.0", id: 5, result: { ok: true } });
    const got = recorder.received.slice(before).at(-1)!.headers;
    expect(got.authorization).toBeUndefined();
    expect(got["api-key"]).toBeUndefined();
    expect(got.cookie).toBeUndefined();
    expect(got["x-tenant"]).toBe("client-tenant");
    expect(got["x-default-only"]).toBe("from-token-config");
    expect(got["x-internal-note"]).toBeUndefined();
    expect(got["x-random"]).toBeUndefined();
    expect(got["x-upstream-key"]).toBe(secret);
    // Unknown protocol revisions pass through untouched; the trace context too.
    expect(got["mcp-protocol-version"]).toBe("2099-01-01");
    expect(got["last-event-id"]).toBe("ev-41");
    expect(got.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expect(res.headers.get("x-trace-id")).toBe("0af7651916cd43dd8448eb211c80319c");
    // The upstream reflected the secret into Cache-Control and echoed every header: none of it reaches the client.
    const all = [...res.headers.entries()];
    expect(all.filter(([, v]) => v.includes(secret))).toEqual([]);
    expect(all.filter(([k]) => k.startsWith("x-echo-"))).toEqual([]);
    expect(res.headers.get("www-authenticate")).toBeNull();
    expect(res.headers.get("mcp-session-id")).toBe("up-session-1");
  });

  it("generates a trace id when there is no valid traceparent", async () => {
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`));
    const tok = await makeToken(id);
    const res = await post(gwA, id, { ...tok.headers, traceparent: "garbage" }, rpc(1, "ping"));
    expect(res.headers.get("x-trace-id")).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("streaming, limits and timeouts", () => {
  it("delivers an SSE event before the upstream has finished the stream", async () => {
    const id = await makeInstance(httpConfig(`${recorder.base}/stream`));
    const tok = await makeToken(id);
    const res = await post(gwA, id, tok.headers, rpc(1, "tools/call", { name: "slow" }));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    let text = "";
    // The upstream holds its second event until release(): if the gateway buffered, this would hang.
    while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain("notifications/progress");
    expect(text).not.toContain('"result"');
    recorder.release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('"result"');
  });

  it("aborts the upstream request when the client goes away", async () => {
    const id = await makeInstance(httpConfig(`${recorder.base}/slow`, { requestTimeoutMs: 60_000 }));
    const tok = await makeToken(id);
    const before = recorder.received.length;
    const closedBefore = recorder.slowClosed();
    const ac = new AbortController();
    const pending = fetch(`${base(gwA)}/mcp-gateway/${id}/mcp`, { method: "POST", headers: { "content-type": "application/json", ...tok.headers }, body: rpc(1, "ping"), signal: ac.signal }).catch((e: Error) => e);
    await eventually(async () => recorder.received.length > before, 2000);
    ac.abort();
    expect(await pending).toBeInstanceOf(Error);
    await eventually(async () => recorder.slowClosed() > closedBefore, 2000);
  });

  it("refuses a body over the limit with 413", async () => {
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`));
    const tok = await makeToken(id);
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { message: "x".repeat(300 * 1024) } } });
    const res = await post(gwA, id, tok.headers, big);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it("answers an upstream timeout with a JSON-RPC error carrying the request id", async () => {
    const id = await makeInstance(httpConfig(`${recorder.base}/slow`, { requestTimeoutMs: 1000 }));
    const tok = await makeToken(id);
    const res = await post(gwA, id, tok.headers, rpc("req-77", "tools/call", { name: "anything" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jsonrpc: "2.0", id: "req-77", error: { code: -32001, message: "Upstream timeout" } });
    const batch = await post(gwA, id, tok.headers, JSON.stringify([JSON.parse(rpc(1, "ping")), { jsonrpc: "2.0", method: "notifications/initialized" }, JSON.parse(rpc(2, "tools/list"))]));
    expect(await batch.json()).toEqual([
      { jsonrpc: "2.0", id: 1, error: { code: -32001, message: "Upstream timeout" } },
      { jsonrpc: "2.0", id: 2, error: { code: -32001, message: "Upstream timeout" } },
    ]);
  });

  it("answers 502 when the upstream is unreachable, 404 for direct and 503 for hosted instances", async () => {
    const down = await makeInstance(httpConfig("http://127.0.0.1:9/mcp"));
    const t1 = await makeToken(down);
    expect((await post(gwA, down, t1.headers, rpc(1, "ping"))).status).toBe(502);
    const direct = await makeInstance({ ...httpConfig(everythingHttp.url), accessMode: "direct" } as TInstanceConfig, { accessMode: "direct" });
    const t2 = await makeToken(direct);
    const d = await post(gwA, direct, t2.headers, rpc(1, "ping"));
    expect(d.status).toBe(404);
    expect(((await d.json()) as { detail: string }).detail).toMatch(/connect to its upstream URL directly/);
    const hosted = await makeInstance({ accessMode: "hosted", transport: "stdio", command: "true", args: [], env: [], codePackageId: null, initScript: null, port: null, path: "/mcp", startupTimeoutMs: 60_000, idleTimeoutMs: 600_000, sessionMode: "per_session", maxSessions: 50, minReplicas: 1, maxReplicas: 1, requestTimeoutMs: 120_000 }, { accessMode: "hosted", transport: "stdio" });
    const t3 = await makeToken(hosted);
    const h = await post(gwA, hosted, t3.headers, rpc(1, "ping"));
    expect(h.status).toBe(503);
    expect(((await h.json()) as { detail: string }).detail).toBe("The instance is not running in this gateway.");
  });

  it("answers CORS preflights with the MCP headers", async () => {
    const res = await fetch(`${base(gwA)}/mcp-gateway/${randomUUID()}/mcp`, {
      method: "OPTIONS",
      headers: { origin: "http://app.test", "access-control-request-method": "POST", "access-control-request-headers": "authorization, mcp-session-id, x-tenant" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("DELETE");
    expect(res.headers.get("access-control-allow-headers")).toContain("mcp-protocol-version");
    expect(res.headers.get("access-control-allow-headers")).toContain("x-tenant");
  });
});

describe("hosted instances through resolveLocalUpstream (the runtime's hook)", () => {
  it("hands the request, its already-read body and the pass-through headers to the local upstream, after auth", async () => {
    const hostedConfig = { accessMode: "hosted", transport: "stdio", command: "node", args: [], env: [], codePackageId: null, initScript: null, port: null, path: "/mcp", startupTimeoutMs: 60_000, idleTimeoutMs: 600_000, sessionMode: "per_session", maxSessions: 50, minReplicas: 1, maxReplicas: 1, requestTimeoutMs: 120_000 } as TInstanceConfig;
    const id = await makeInstance(hostedConfig, { accessMode: "hosted", transport: "stdio" });
    const seen: Array<{ instanceId: string; body: string | null; ctx: TLocalRequestContext }> = [];
    const local: TLocalUpstream = {
      kind: "local",
      handle: async (_req, res, body, ctx) => {
        seen.push({ instanceId: ctx.instanceId, body: body?.toString("utf8") ?? null, ctx });
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"jsonrpc":"2.0","id":1,"result":{}}');
      },
    };
    const gw = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: silent, proxy: { resolveLocalUpstream: (inst) => (inst.id === id ? local : null) } });
    cleanups.push(() => gw.close(500));
    const tok = await makeToken(id, "bearer", { headers: [{ name: "X-Team", value: "red", passThrough: true }, { name: "X-Hidden", value: "h", passThrough: false }] });
    expect((await post(gw, id, {}, rpc(1, "ping"))).status).toBe(401);
    expect(seen).toHaveLength(0);
    const res = await post(gw, id, { ...tok.headers, "X-Team": "blue", "X-Hidden": "client" }, rpc(1, "ping"));
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ instanceId: id, body: rpc(1, "ping"), ctx: { instanceId: id, basePath: `/mcp-gateway/${id}`, passHeaders: { "x-team": "blue" } } }]);
  });
});

describe("per-token rate limit across gateway processes", () => {
  it("counts one token's requests on both gateways together and answers 429 with Retry-After", async () => {
    const proxy = { tokenRateLimitPerMinute: 5 };
    const g1 = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: silent, proxy });
    const g2 = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: silent, proxy });
    cleanups.push(() => g1.close(500), () => g2.close(500));
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`));
    const tok = await makeToken(id);
    const other = await makeToken(id);
    const statuses: number[] = [];
    for (const gw of [g1, g2, g1, g2, g1]) statuses.push((await post(gw, id, tok.headers, rpc(1, "ping"))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await post(g2, id, tok.headers, rpc(1, "ping"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another token of the same instance has its own budget.
    expect((await post(g2, id, other.headers, rpc(1, "ping"))).status).toBe(200);
  });
});

describe("access events", () => {
  it("keeps serving while Redis is down, buffering a bounded number of events and counting the drops in /metrics", async () => {
    const dead = new Redis("redis://127.0.0.1:6999", { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    dead.on("error", () => undefined);
    cleanups.push(() => dead.disconnect());
    const gw = await startGateway({
      port: 0,
      host: "127.0.0.1",
      roles: ["proxy"],
      logger: silent,
      proxy: { redis: () => dead, subscribe: async () => async () => undefined, accessEvents: { bufferCap: 3, flushIntervalMs: 10 } },
    });
    cleanups.push(() => gw.close(500));
    const id = await makeInstance(httpConfig(`${recorder.base}/echo`), { public: true });
    for (let i = 0; i < 3; i++) expect((await post(gw, id, {}, rpc(i, "ping"))).status).toBe(200);
    await eventually(async () => {
      const text = await (await fetch(`${base(gw)}/metrics`)).text();
      const dropped = Number(/mcpcan_gateway_access_events_dropped_total (\d+)/.exec(text)?.[1]);
      return dropped >= 3 && /mcpcan_gateway_access_events_buffered 3/.test(text);
    }, 2000);
  });


  it("publishes request and response events with method, tool name, trace id and redacted headers, and counts in /metrics", async () => {
    const id = await makeInstance(httpConfig(everythingHttp.url));
    const tok = await makeToken(id, "x_api_key");
    const client = await connectStreamable(gwB, id, { ...tok.headers, traceparent: "00-11111111111111111111111111111111-2222222222222222-01" });
    await client.callTool({ name: "echo", arguments: { message: "logged" } });
    let events: TAccessEvent[] = [];
    await eventually(async () => {
      const entries = await getRedis().xrange(ACCESS_EVENTS_STREAM, "-", "+");
      events = entries.map(([, fields]) => JSON.parse(fields[fields.indexOf("event") + 1]!) as TAccessEvent).filter((e) => e.instanceId === id);
      return events.some((e) => e.kind === "response" && e.toolNames.includes("echo"));
    }, 2000);
    const req = events.find((e) => e.kind === "request" && e.toolNames.includes("echo"))!;
    expect(req).toMatchObject({ organizationId: orgId, tokenId: tok.id, traceId: "11111111111111111111111111111111", rpcMethods: ["tools/call"], batch: false, level: "info" });
    expect(req.sessionId).toBeTruthy();
    expect(req.headers["x-api-key"]).toBe("[redacted]");
    const resp = events.find((e) => e.kind === "response" && e.toolNames.includes("echo"))!;
    expect(resp.status).toBe(200);
    expect(BigInt(resp.latencyNs!)).toBeGreaterThan(0n);
    expect(resp.bytesIn).toBeGreaterThan(0);
    expect(resp.bytesOut).toBeGreaterThan(0);
    expect(events.map((e) => e.rpcMethods[0])).toEqual(expect.arrayContaining(["initialize", "notifications/initialized"]));
    expect(events.some((e) => e.kind === "sse_start")).toBe(true);
    expect(JSON.stringify(events)).not.toContain(tok.value);

    const metrics = await (await fetch(`${base(gwB)}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`mcpcan_gateway_proxy_requests_total\\{instance="${id}",status="200"\\} \\d+`));
    expect(metrics).toMatch(new RegExp(`mcpcan_gateway_proxy_request_duration_seconds_count\\{instance="${id}"\\} \\d+`));
    expect(metrics).toContain("mcpcan_gateway_access_events_dropped_total 0");
    expect(metrics).toMatch(/mcpcan_gateway_open_sse_streams \d+/);
  });
});
