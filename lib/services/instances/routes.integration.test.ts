// The REST routes end to end (handler → verb → database), authenticated with organization API keys:
// every instance and token route answers another tenant with 404 and a viewer's writes with 403.
import { describe, expect, it } from "vitest";
import * as accessConfigRoute from "@/app/api/v1/instances/[instanceId]/access-config/route";
import * as eventsRoute from "@/app/api/v1/instances/[instanceId]/events/route";
import * as restartRoute from "@/app/api/v1/instances/[instanceId]/restart/route";
import * as instanceRoute from "@/app/api/v1/instances/[instanceId]/route";
import * as scaleRoute from "@/app/api/v1/instances/[instanceId]/scale/route";
import * as startRoute from "@/app/api/v1/instances/[instanceId]/start/route";
import * as stopRoute from "@/app/api/v1/instances/[instanceId]/stop/route";
import * as revealRoute from "@/app/api/v1/instances/[instanceId]/tokens/[tokenId]/reveal/route";
import * as tokenRoute from "@/app/api/v1/instances/[instanceId]/tokens/[tokenId]/route";
import * as tokensRoute from "@/app/api/v1/instances/[instanceId]/tokens/route";
import * as rollbackRoute from "@/app/api/v1/instances/[instanceId]/versions/[version]/rollback/route";
import * as versionsRoute from "@/app/api/v1/instances/[instanceId]/versions/route";
import * as instancesRoute from "@/app/api/v1/instances/route";
import { createApiKey } from "@/lib/services/api-keys/create-api-key";
import { ctxFor, makeOrg } from "@/test/fixtures";

type THandler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
const base = "http://console.test/api/v1";

function call(handler: unknown, key: string, method: string, path: string, params: Record<string, string>, body?: unknown): Promise<Response> {
  const req = new Request(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (handler as THandler)(req, { params: Promise.resolve(params) });
}

async function setup(): Promise<{ ownerKey: string; viewerKey: string; otherKey: string; instanceId: string; tokenId: string }> {
  const o = await makeOrg();
  const other = await makeOrg();
  const owner = await ctxFor(o.owner, o.orgId);
  const ownerKey = (await createApiKey({ ctx: owner, input: { name: "owner", role: "owner", expiresInDays: null } })).key;
  const viewerKey = (await createApiKey({ ctx: owner, input: { name: "viewer", role: "viewer", expiresInDays: null } })).key;
  const otherKey = (await createApiKey({ ctx: await ctxFor(other.owner, other.orgId), input: { name: "other", role: "owner", expiresInDays: null } })).key;
  const created = await call(instancesRoute.POST, ownerKey, "POST", "/instances", {}, {
    name: "everything",
    config: { accessMode: "hosted", transport: "stdio", command: "npx", args: ["-y", "@modelcontextprotocol/server-everything"], env: [{ name: "K", value: "env-secret", secret: true }], maxReplicas: 2 },
  });
  expect(created.status).toBe(201);
  const instanceId = ((await created.json()) as { id: string }).id;
  const tok = await call(tokensRoute.POST, ownerKey, "POST", `/instances/${instanceId}/tokens`, { instanceId }, { type: "bearer" });
  expect(tok.status).toBe(201);
  const tokenId = ((await tok.json()) as { id: string }).id;
  return { ownerKey, viewerKey, otherKey, instanceId, tokenId };
}

type TRouteCase = { name: string; handler: unknown; method: string; path: string; params: Record<string, string>; body?: unknown; write: boolean };

function routeCases(instanceId: string, tokenId: string): TRouteCase[] {
  const p = { instanceId };
  const pt = { instanceId, tokenId };
  const i = `/instances/${instanceId}`;
  return [
    { name: "GET instance", handler: instanceRoute.GET, method: "GET", path: i, params: p, write: false },
    { name: "PATCH instance", handler: instanceRoute.PATCH, method: "PATCH", path: i, params: p, body: { name: "x" }, write: true },
    { name: "POST start", handler: startRoute.POST, method: "POST", path: `${i}/start`, params: p, write: true },
    { name: "POST stop", handler: stopRoute.POST, method: "POST", path: `${i}/stop`, params: p, write: true },
    { name: "POST restart", handler: restartRoute.POST, method: "POST", path: `${i}/restart`, params: p, write: true },
    { name: "POST scale", handler: scaleRoute.POST, method: "POST", path: `${i}/scale`, params: p, body: { replicas: 2 }, write: true },
    { name: "GET versions", handler: versionsRoute.GET, method: "GET", path: `${i}/versions`, params: p, write: false },
    { name: "POST rollback", handler: rollbackRoute.POST, method: "POST", path: `${i}/versions/1/rollback`, params: { instanceId, version: "1" }, write: true },
    { name: "GET events", handler: eventsRoute.GET, method: "GET", path: `${i}/events`, params: p, write: false },
    { name: "GET access-config", handler: accessConfigRoute.GET, method: "GET", path: `${i}/access-config?tokenId=${tokenId}&client=generic`, params: p, write: false },
    { name: "GET tokens", handler: tokensRoute.GET, method: "GET", path: `${i}/tokens`, params: p, write: false },
    { name: "POST tokens", handler: tokensRoute.POST, method: "POST", path: `${i}/tokens`, params: p, body: { type: "api_key" }, write: true },
    { name: "PATCH token", handler: tokenRoute.PATCH, method: "PATCH", path: `${i}/tokens/${tokenId}`, params: pt, body: { label: "x" }, write: true },
    { name: "POST reveal", handler: revealRoute.POST, method: "POST", path: `${i}/tokens/${tokenId}/reveal`, params: pt, write: true },
    { name: "DELETE token", handler: tokenRoute.DELETE, method: "DELETE", path: `${i}/tokens/${tokenId}`, params: pt, write: true },
    { name: "DELETE instance", handler: instanceRoute.DELETE, method: "DELETE", path: i, params: p, write: true },
  ];
}

describe("instance and token routes", () => {
  it("another tenant gets 404 problem+json from every route and verb, and nothing changes", async () => {
    const s = await setup();
    for (const c of routeCases(s.instanceId, s.tokenId)) {
      const res = await call(c.handler, s.otherKey, c.method, c.path, c.params, c.body);
      expect({ route: c.name, status: res.status }).toEqual({ route: c.name, status: 404 });
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const list = await call(instancesRoute.GET, s.otherKey, "GET", "/instances", {});
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(0);
    const still = await call(instanceRoute.GET, s.ownerKey, "GET", `/instances/${s.instanceId}`, { instanceId: s.instanceId });
    expect(await still.json()).toMatchObject({ name: "everything", configVersion: 1, desiredState: "running" });
  });

  it("a viewer key reads every read route and gets 403 from every write, reveal included", async () => {
    const s = await setup();
    for (const c of routeCases(s.instanceId, s.tokenId)) {
      const res = await call(c.handler, s.viewerKey, c.method, c.path, c.params, c.body);
      expect({ route: c.name, status: res.status }).toEqual({ route: c.name, status: c.write ? 403 : 200 });
    }
    expect((await call(instancesRoute.POST, s.viewerKey, "POST", "/instances", {}, { name: "x", config: { accessMode: "direct", transport: "sse", url: "https://x.example/sse" } })).status).toBe(403);
  });

  it("the owner's key drives every route; secrets never appear in responses; bad input is 422 with paths", async () => {
    const s = await setup();
    for (const c of routeCases(s.instanceId, s.tokenId)) {
      const res = await call(c.handler, s.ownerKey, c.method, c.path, c.params, c.body);
      expect({ route: c.name, status: res.status }).toEqual({ route: c.name, status: c.method === "DELETE" ? 204 : c.name === "POST tokens" ? 201 : 200 });
      const text = await res.text();
      expect(text).not.toContain("env-secret");
      expect(text).not.toContain("enc:v1");
    }
    const bad = await call(instancesRoute.POST, s.ownerKey, "POST", "/instances", {}, { name: "", config: { accessMode: "hosted", transport: "stdio", command: "x", minReplicas: 3, maxReplicas: 2 } });
    expect(bad.status).toBe(422);
    const paths = ((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "config.maxReplicas"]));
    const badRollback = await call(rollbackRoute.POST, s.ownerKey, "POST", "/instances/x/versions/abc/rollback", { instanceId: "x", version: "abc" });
    expect(badRollback.status).toBe(404);
  });
});
