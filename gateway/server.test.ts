import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayUsageError, parseGatewayArgs, parseRoles, resolveRequestId, startGateway, type TGateway } from "./server";
import type { TReadinessDeps } from "./health";

const silent = pino({ level: "silent" });
const healthy: TReadinessDeps = { pool: { query: async () => ({ rows: [{ "?column?": 1 }] }) }, redis: { ping: async () => "PONG" } };

describe("parseRoles / parseGatewayArgs", () => {
  it("defaults to every role", () => {
    expect(parseGatewayArgs([]).roles).toEqual(["proxy", "runtime", "probe", "ingest"]);
  });

  it("accepts --roles=a,b and --roles a in any case and order, returning canonical order without duplicates", () => {
    expect(parseGatewayArgs(["--roles=probe,PROXY, probe"]).roles).toEqual(["proxy", "probe"]);
    expect(parseGatewayArgs(["--roles", "ingest"]).roles).toEqual(["ingest"]);
    expect(parseRoles("all")).toEqual(["proxy", "runtime", "probe", "ingest"]);
  });

  it("rejects unknown roles, an empty list and unknown arguments, naming the problem", () => {
    expect(() => parseRoles("proxy,router")).toThrow(GatewayUsageError);
    expect(() => parseRoles("proxy,router")).toThrow(/"router".*known roles: proxy, runtime, probe, ingest/);
    expect(() => parseRoles(" , ")).toThrow(/at least one role/);
    expect(() => parseGatewayArgs(["--roles"])).toThrow(/needs a value/);
    expect(() => parseGatewayArgs(["--role=proxy"])).toThrow(/Unknown argument --role=proxy/);
  });
});

describe("resolveRequestId", () => {
  it("keeps a sane incoming id and replaces anything else", () => {
    expect(resolveRequestId("req_01:abc-DEF.9")).toBe("req_01:abc-DEF.9");
    for (const bad of [undefined, "", "has space", "x".repeat(129), "-leading-dash", "a\u00e9"]) {
      expect(resolveRequestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("gateway HTTP server", () => {
  let gw: TGateway;
  let base: string;
  let deps: TReadinessDeps = healthy;

  beforeAll(async () => {
    gw = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy", "probe"], logger: silent, readiness: () => ({
      pool: { query: (sql) => deps.pool.query(sql) },
      redis: { ping: () => deps.redis.ping() },
    }), readinessTimeoutMs: 200 });
    base = `http://127.0.0.1:${gw.port}`;
  });
  afterAll(async () => {
    await gw.close();
  });

  it("listens on the port the OS picked", () => {
    expect(gw.port).toBeGreaterThan(0);
  });

  it("answers /healthz with its roles and a request id", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ status: "ok", roles: ["proxy", "probe"] });
  });

  it("echoes a sane X-Request-Id and replaces an unsafe one", async () => {
    const kept = await fetch(`${base}/healthz`, { headers: { "X-Request-Id": "trace-42" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-42");
    const replaced = await fetch(`${base}/healthz`, { headers: { "X-Request-Id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown paths with a 404 problem+json carrying the request id", async () => {
    const res = await fetch(`${base}/mcp-gateway/nope?x=1`, { headers: { "X-Request-Id": "r-404" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 404, title: "Not Found", instance: "/mcp-gateway/nope", requestId: "r-404" });
  });

  it("answers a write method on a service endpoint with 405 and Allow", async () => {
    const res = await fetch(`${base}/healthz`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("reports ready when Postgres and Redis answer, and names the failing one otherwise", async () => {
    deps = healthy;
    const ok = await fetch(`${base}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ready", checks: { postgres: { ok: true }, redis: { ok: true } } });

    deps = { ...healthy, redis: { ping: () => Promise.reject(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })) } };
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "not_ready", failed: ["redis"], checks: { redis: { ok: false, error: "ECONNREFUSED" } } });

    // A dependency that hangs must not hang readiness: it fails after the timeout.
    deps = { ...healthy, pool: { query: () => new Promise(() => {}) } };
    const hung = await fetch(`${base}/readyz`);
    expect(hung.status).toBe(503);
    expect(await hung.json()).toMatchObject({ failed: ["postgres"], checks: { postgres: { ok: false, error: "no answer within 200 ms" } } });
  });

  it("exposes Prometheus metrics counting requests by route and status", async () => {
    const before = await (await fetch(`${base}/metrics`)).text();
    const count = (text: string, route: string, status: number): number =>
      Number(new RegExp(`^mcpcan_gateway_http_requests_total\\{route="${route}",status="${status}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? 0);

    await fetch(`${base}/healthz`);
    await fetch(`${base}/does-not-exist`);
    await fetch(`${base}/another/missing/path`);
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = await res.text();

    expect(after).toMatch(/^# TYPE mcpcan_gateway_http_requests_total counter$/m);
    expect(after).toMatch(/^process_uptime_seconds \d+(\.\d+)?$/m);
    expect(after).toMatch(/^mcpcan_gateway_role\{role="probe"\} 1$/m);
    expect(count(after, "/healthz", 200) - count(before, "/healthz", 200)).toBe(1);
    // Unknown paths share one label so that scanners cannot blow up the series count.
    expect(count(after, "unmatched", 404) - count(before, "unmatched", 404)).toBe(2);
    expect(after).not.toContain("/does-not-exist");
  });

  it("stops accepting connections after close", async () => {
    const other = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: silent, readiness: () => healthy });
    const url = `http://127.0.0.1:${other.port}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await other.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});
