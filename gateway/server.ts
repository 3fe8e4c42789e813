// The gateway's HTTP server: plain node:http (nothing from Next may be imported here or below).
// It serves the service endpoints and, with the proxy role, /mcp-gateway/*; the runtime, probe and
// ingest roles plug in here. Order per request: request id and trace id → route → (proxy: auth →
// body limit → forward); every response carries X-Request-Id and X-Trace-Id.
import { startHostedRegistry, type THostedRegistry, type THostedRegistryOptions } from "./reconcile/hosted-registry";
import type { TGatewayInstance } from "./proxy/instances";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type pino from "pino";
import { getDb, getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { getRedis } from "@/lib/redis";
import { resolveTraceId } from "./events/trace";
import { checkReadiness, GatewayMetrics, type TReadinessDeps } from "./health";
import { createProxy, PROXY_PREFIX, type TProxy, type TProxyOptions } from "./proxy/handler";

export const GATEWAY_ROLES = ["proxy", "runtime", "probe", "ingest"] as const;
export type TGatewayRole = (typeof GATEWAY_ROLES)[number];

/** A bad command line; main prints the message and exits 2. */
export class GatewayUsageError extends Error {}

/** Parses a comma-separated role list ("proxy,probe" or "all"); unknown or empty → GatewayUsageError. */
export function parseRoles(value: string): TGatewayRole[] {
  const names = value
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) throw new GatewayUsageError(`--roles needs at least one role: ${GATEWAY_ROLES.join(", ")} (or all)`);
  if (names.includes("all")) return [...GATEWAY_ROLES];
  const unknown = names.filter((n) => !(GATEWAY_ROLES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new GatewayUsageError(`Unknown gateway role${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}; known roles: ${GATEWAY_ROLES.join(", ")}`);
  }
  // Canonical order, no duplicates: metrics and /healthz read the same whatever the spelling.
  return GATEWAY_ROLES.filter((r) => names.includes(r));
}

/** Parses the gateway's command line: `--roles=proxy,runtime` (or `--roles proxy`); default all roles. */
export function parseGatewayArgs(argv: readonly string[]): { roles: TGatewayRole[] } {
  let roles: TGatewayRole[] = [...GATEWAY_ROLES];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--roles=")) roles = parseRoles(arg.slice("--roles=".length));
    else if (arg === "--roles") {
      const next = argv[++i];
      if (next === undefined) throw new GatewayUsageError("--roles needs a value, e.g. --roles=proxy,probe");
      roles = parseRoles(next);
    } else throw new GatewayUsageError(`Unknown argument ${arg}. Usage: gateway [--roles=${GATEWAY_ROLES.join(",")}]`);
  }
  return { roles };
}

// A caller's request id is kept only when it is a plain token (it ends up in logs and headers).
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The incoming X-Request-Id when it is a sane token, else a new UUID. */
export function resolveRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

export type TGatewayOptions = {
  port: number;
  host?: string;
  roles: readonly TGatewayRole[];
  logger?: pino.Logger;
  /** Where readiness looks; defaults to the process-wide pool and Redis client, resolved on first use. */
  readiness?: () => TReadinessDeps;
  readinessTimeoutMs?: number;
  /** Proxy role settings; anything left out comes from the environment and the process-wide db/Redis. */
  proxy?: Partial<Omit<TProxyOptions, "logger" | "metrics">>;
  /** Hosted runtime settings (tests substitute the config subscription or the bridge factory). */
  hosted?: Partial<Omit<THostedRegistryOptions, "logger">>;
};

export type TGateway = {
  port: number;
  /** The proxy role, when this process runs it. */
  proxy: TProxy | null;
  /** The hosted stdio runtime, when this process runs both the proxy and runtime roles. */
  hosted: THostedRegistry | null;
  /** Stops accepting, lets in-flight requests finish (closing them after `graceMs`), resolves when closed. */
  close(graceMs?: number): Promise<void>;
};

type TCtx = { req: http.IncomingMessage; res: http.ServerResponse; requestId: string; path: string };
type THandler = (ctx: TCtx) => Promise<void> | void;

function send(ctx: TCtx, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": String(Buffer.byteLength(body)),
    "Cache-Control": "no-store",
    ...headers,
  });
  ctx.res.end(ctx.req.method === "HEAD" ? undefined : body);
}

const sendJson = (ctx: TCtx, status: number, value: unknown): void => send(ctx, status, "application/json; charset=utf-8", JSON.stringify(value));

/** RFC 9457 problem details, with the request id so that a user can quote it. */
function sendProblem(ctx: TCtx, status: number, title: string, detail: string, headers: Record<string, string> = {}): void {
  const body = { type: "about:blank", title, status, detail, instance: ctx.path, requestId: ctx.requestId };
  send(ctx, status, "application/problem+json; charset=utf-8", JSON.stringify(body), headers);
}

/** Starts the gateway's HTTP server; resolves once it listens (port 0 picks a free port). */
export async function startGateway(opts: TGatewayOptions): Promise<TGateway> {
  const logger = opts.logger ?? createLogger("gateway");
  const roles = [...opts.roles];
  const metrics = new GatewayMetrics(roles);
  let deps: TReadinessDeps | undefined;
  const readinessDeps = (): TReadinessDeps => (deps ??= opts.readiness ? opts.readiness() : { pool: getPool(), redis: getRedis() });

  // Hosted stdio instances are bridged in-process, so they are served where proxy and runtime run together.
  let hosted: THostedRegistry | null = null;
  if (roles.includes("runtime")) {
    if (roles.includes("proxy")) {
      const registry = await startHostedRegistry({ db: opts.proxy?.db ?? getDb, logger, ...opts.hosted });
      hosted = registry;
      metrics.registerValue("mcpcan_gateway_hosted_instances", "Hosted instances (stdio bridges and HTTP replica sets) running in this process", "gauge", () => registry.stats().instances);
      metrics.registerValue("mcpcan_gateway_running_processes", "Child processes of hosted instances in this process", "gauge", () => registry.stats().processes);
      metrics.registerValue("mcpcan_gateway_hosted_sessions", "MCP sessions on hosted instances", "gauge", () => registry.stats().sessions);
      metrics.registerValue("mcpcan_gateway_instance_restarts_total", "Hosted instances restarted by the reconcile loop (edit or restart)", "counter", () => registry.stats().restarts);
    }
    else logger.warn("runtime role without proxy: hosted stdio instances are served only by processes running both roles");
  }

  let proxy: TProxy | null = null;
  if (roles.includes("proxy")) {
    const env = getEnv();
    proxy = createProxy({
      db: getDb,
      redis: getRedis,
      maxBodyBytes: env.MCPCAN_GATEWAY_MAX_BODY_BYTES,
      tokenRateLimitPerMinute: env.MCPCAN_TOKEN_RATE_LIMIT,
      ...(hosted ? { resolveLocalUpstream: (inst: TGatewayInstance) => hosted.resolve(inst) } : {}),
      ...opts.proxy,
      logger,
      metrics,
    });
  }

  const routes = new Map<string, THandler>([
    ["/healthz", (ctx) => sendJson(ctx, 200, { status: "ok", roles })],
    [
      "/readyz",
      async (ctx) => {
        const result = await checkReadiness(readinessDeps(), opts.readinessTimeoutMs ?? 1000);
        if (result.ready) return sendJson(ctx, 200, { status: "ready", checks: result.checks });
        const failed = Object.entries(result.checks)
          .filter(([, check]) => !check.ok)
          .map(([name]) => name);
        sendJson(ctx, 503, { status: "not_ready", failed, checks: result.checks });
      },
    ],
    ["/metrics", (ctx) => send(ctx, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render())],
  ]);

  const server = http.createServer(async (req, res) => {
    const requestId = resolveRequestId(req.headers["x-request-id"]);
    res.setHeader("X-Request-Id", requestId);
    const traceId = resolveTraceId(req.headers.traceparent);
    res.setHeader("X-Trace-Id", traceId);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const ctx: TCtx = { req, res, requestId, path };
    if (proxy && path.startsWith(PROXY_PREFIX)) {
      const label = proxy.routeLabel(path);
      res.once("close", () => metrics.countRequest(label, res.headersSent ? res.statusCode : 499));
      return proxy.handle({ req, res, requestId, traceId, path });
    }
    const handler = routes.get(path);
    // Route label for metrics: a known route or one bucket for everything else (bounded cardinality).
    const route = handler ? path : "unmatched";
    res.once("finish", () => metrics.countRequest(route, res.statusCode));
    try {
      if (!handler) return sendProblem(ctx, 404, "Not Found", `No gateway route for ${req.method} ${path}`);
      if (req.method !== "GET" && req.method !== "HEAD") {
        return sendProblem(ctx, 405, "Method Not Allowed", `${path} answers GET and HEAD`, { Allow: "GET, HEAD" });
      }
      await handler(ctx);
    } catch (err) {
      logger.error({ err, requestId, path }, "request failed");
      if (!res.headersSent) sendProblem(ctx, 500, "Internal Server Error", "The gateway failed to answer; quote the request id when reporting it.");
      else res.destroy();
    }
  });
  // Longer than the usual load-balancer idle timeout (60 s), so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: opts.port, host: opts.host }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.debug({ port, roles }, "gateway listening");

  let closing: Promise<void> | undefined;
  return {
    port,
    proxy,
    hosted,
    close(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      })
        .then(() => proxy?.close())
        .then(() => hosted?.close());
      return closing;
    },
  };
}
