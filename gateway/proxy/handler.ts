// The proxy role: /mcp-gateway/{instanceId}/mcp (Streamable HTTP), /sse and /message (legacy
// HTTP+SSE). Per request: CORS preflight → instance → token auth → rate limit → body limit →
// access mode → forward. The caches start empty and the config-event subscription is made on the
// first proxied request, so a gateway without proxy traffic never connects for it.
import { getEnv } from "@/lib/env";
import { allowedHostsFrom, checkHost } from "./host-guard";
import type http from "node:http";
import type Redis from "ioredis";
import type pino from "pino";
import type { TDb } from "@/lib/db";
import { subscribeConfigEvents, type TConfigEvent } from "@/lib/events/config-bus";
import { consumeRateLimit } from "@/lib/rate-limit";
import { TokenAuthenticator, type TAuthToken } from "../auth/token-auth";
import { AccessEventSink } from "../events/access-events";
import type { GatewayMetrics } from "../health";
import type { TLocalUpstream } from "../upstream/types";
import { BodyTooLargeError, readBody } from "./body";
import { Exchange } from "./exchange";
import { relayResponse, requestUpstream } from "./forward";
import { buildUpstreamHeaders, redactHeaders } from "./headers";
import { InstanceCache, type TGatewayInstance } from "./instances";
import { summarizeJsonRpc } from "./jsonrpc";
import { LegacySessionStore, relayLegacySse } from "./legacy-sse";
import { sendPreflight, sendProblem, sendUnauthorized, setCorsHeaders } from "./respond";

export const PROXY_PREFIX = "/mcp-gateway/";

type TEndpoint = "mcp" | "sse" | "message";
const METHODS: Record<TEndpoint, string[]> = { mcp: ["GET", "POST", "DELETE"], sse: ["GET"], message: ["POST"] };

export type TProxyOptions = {
  db: () => TDb;
  redis: () => Redis;
  logger: pino.Logger;
  metrics: GatewayMetrics;
  maxBodyBytes: number;
  /** Requests per minute per token, counted in Redis (shared by every gateway process). */
  tokenRateLimitPerMinute: number;
  /**
   * The hosted runtime's entry point: the local upstream serving a hosted instance in this process,
   * or null when it does not run here. Set by the runtime role (gateway/runtime).
   */
  resolveLocalUpstream?: (instance: TGatewayInstance) => TLocalUpstream | null;
  /** Subscribes to config invalidations (tests may substitute); defaults to lib/events/config-bus. */
  subscribe?: (onEvent: (e: TConfigEvent) => void) => Promise<() => Promise<void>>;
  instanceTtlMs?: number;
  tokenTtlMs?: number;
  accessEvents?: { flushIntervalMs?: number; bufferCap?: number; maxLen?: number };
};

export type TProxyRequest = { req: http.IncomingMessage; res: http.ServerResponse; requestId: string; traceId: string; path: string };

export type TProxy = {
  /** Serves one request under /mcp-gateway/. */
  handle(r: TProxyRequest): Promise<void>;
  /** The route label for metrics of a proxy path. */
  routeLabel(path: string): string;
  close(): Promise<void>;
  readonly sink: AccessEventSink;
};

/** Splits /mcp-gateway/{id}/{endpoint}; null for anything else. */
export function parseProxyPath(path: string): { instanceId: string; endpoint: TEndpoint } | null {
  if (!path.startsWith(PROXY_PREFIX)) return null;
  const parts = path.slice(PROXY_PREFIX.length).split("/");
  if (parts.length !== 2) return null;
  const [rawId, endpoint] = parts as [string, string];
  if (endpoint !== "mcp" && endpoint !== "sse" && endpoint !== "message") return null;
  let instanceId: string;
  try {
    instanceId = decodeURIComponent(rawId);
  } catch {
    instanceId = rawId;
  }
  return { instanceId, endpoint };
}

export function createProxy(opts: TProxyOptions): TProxy {
  const { logger, metrics } = opts;
  let db: TDb | undefined;
  const getDb = (): TDb => (db ??= opts.db());
  const instances = new InstanceCache({ db: getDb, ttlMs: opts.instanceTtlMs });
  const tokens = new TokenAuthenticator({ db: getDb, ttlMs: opts.tokenTtlMs, onError: (err) => logger.warn({ err }, "lastUsedAt update failed") });
  const sink = new AccessEventSink({
    redis: opts.redis,
    ...opts.accessEvents,
    onError: (err) => logger.debug({ err }, "access events not published yet (kept in buffer)"),
  });
  const sessions = new LegacySessionStore(opts.redis);
  const mcpSessions = new RecentSessions();
  metrics.registerValue("mcpcan_gateway_access_events_dropped_total", "Access events dropped because Redis did not take them and the buffer was full.", "counter", () => sink.dropped);
  metrics.registerValue("mcpcan_gateway_access_events_buffered", "Access events waiting to be published to Redis.", "gauge", () => sink.pending);
  metrics.registerValue("mcpcan_gateway_mcp_sessions", "Streamable HTTP sessions with traffic through this process in the last 10 minutes and not ended by DELETE.", "gauge", () => mcpSessions.count());
  metrics.registerValue("mcpcan_gateway_legacy_sse_sessions", "Legacy HTTP+SSE sessions open through this process.", "gauge", () => sessions.size);

  let started: Promise<() => Promise<void>> | undefined;
  let subscribed = false;
  const ensureStarted = (): Promise<unknown> => {
    started ??= (opts.subscribe ?? subscribeConfigEvents)((e) => {
      if (e.kind === "instance") instances.invalidate(e.instanceId);
      tokens.invalidateInstance(e.instanceId);
    }).then((unsubscribe) => {
      subscribed = true;
      // Whatever was cached before the subscription existed may have missed events.
      instances.invalidateAll();
      tokens.invalidateAll();
      return unsubscribe;
    }, (err: unknown) => {
      // Without invalidations the TTLs still bound staleness; try again on the next request.
      logger.error({ err }, "config event subscription failed");
      started = undefined;
      return async () => undefined;
    });
    return started;
  };

  const allowedHosts = allowedHostsFrom(getEnv().gatewayPublicUrl, getEnv().MCPCAN_GATEWAY_ALLOWED_HOSTS);

  async function handle(r: TProxyRequest): Promise<void> {
    const { req, res } = r;
    const method = req.method ?? "GET";
    setCorsHeaders(res);
    const ex = new Exchange({ req, res, requestId: r.requestId, traceId: r.traceId, path: r.path, sink, metrics });
    const route = parseProxyPath(r.path);
    if (!route) return sendProblem(res, 404, "Not Found", "Gateway paths are /mcp-gateway/{instanceId}/mcp, /sse and /message.", { requestId: r.requestId, instance: r.path });
    const refused = checkHost(req.headers.host, allowedHosts);
    if (refused) return sendProblem(res, 403, "Forbidden", refused, { requestId: r.requestId, instance: r.path });
    const allowed = METHODS[route.endpoint];
    if (method === "OPTIONS") return sendPreflight(req, res, [...allowed, "OPTIONS"].join(", "));
    if (!allowed.includes(method)) {
      return sendProblem(res, 405, "Method Not Allowed", `${route.endpoint} answers ${allowed.join(", ")}`, { requestId: r.requestId, instance: r.path, headers: { Allow: [...allowed, "OPTIONS"].join(", ") } });
    }

    // Bounded: with Redis down the subscription keeps retrying in the background while the TTLs
    // bound staleness, rather than every request waiting for it.
    if (!subscribed) await Promise.race([ensureStarted(), new Promise((r) => setTimeout(r, 2000).unref())]);
    const inst = await instances.find(route.instanceId);
    let token: TAuthToken | null = null;
    if (!inst?.public) {
      // Looked up even for unknown instances, so both cases take the same path and answer the same.
      const auth = inst || route.instanceId.length <= 64 ? await tokens.authenticate(route.instanceId, req.headers) : { ok: false as const };
      if (!inst || !auth.ok) {
        if (inst) {
          ex.instanceId = inst.id;
          ex.organizationId = inst.organizationId;
          ex.headers = redactHeaders(req.headers);
          ex.error = "unauthorized";
        }
        return sendUnauthorized(res);
      }
      token = auth.token;
    }
    ex.instanceId = inst.id;
    ex.organizationId = inst.organizationId;
    ex.tokenId = token?.id ?? null;
    ex.headers = redactHeaders(req.headers, token?.headers.filter((h) => !h.passThrough).map((h) => h.name) ?? []);
    const sid = req.headers["mcp-session-id"];
    if (typeof sid === "string") ex.sessionId = sid;

    if (token) {
      const limited = await consumeRateLimit(opts.redis(), `gw-token:${token.id}`, 60, opts.tokenRateLimitPerMinute).catch((err: unknown) => {
        // Redis down: serve rather than refuse everyone; the outage shows in /readyz and the logs.
        logger.warn({ err }, "token rate limit unavailable");
        return null;
      });
      if (limited && !limited.allowed) {
        ex.error = "rate_limited";
        return sendProblem(res, 429, "Too Many Requests", `This token may make ${opts.tokenRateLimitPerMinute} requests per minute.`, {
          requestId: r.requestId,
          instance: r.path,
          headers: { "Retry-After": String(limited.retryAfter ?? 60) },
        });
      }
    }

    let body: Buffer | null = null;
    if (method === "POST") {
      try {
        body = await readBody(req, opts.maxBodyBytes);
      } catch (err) {
        if (err instanceof BodyTooLargeError) {
          ex.error = "body_too_large";
          res.setHeader("Connection", "close");
          return sendProblem(res, 413, "Payload Too Large", `Request bodies are limited to ${err.limit} bytes.`, { requestId: r.requestId, instance: r.path });
        }
        // The client went away mid-body: nothing to answer.
        ex.error = "client_aborted";
        if (!req.destroyed && !req.readableAborted) throw err;
        return;
      }
      ex.bytesIn = body.length;
      ex.rpc = summarizeJsonRpc(body);
    }
    ex.emitRequest();

    if (inst.desiredState === "invalid") return sendProblem(res, 503, "Service Unavailable", "The instance's configuration is invalid; fix it in the console.", { requestId: r.requestId, instance: r.path });
    if (inst.accessMode === "direct") {
      return sendProblem(res, 404, "Not Found", "This instance is in direct mode: clients connect to its upstream URL directly, not through the gateway.", { requestId: r.requestId, instance: r.path });
    }
    if (inst.desiredState === "stopped") return sendProblem(res, 503, "Service Unavailable", "The instance is stopped.", { requestId: r.requestId, instance: r.path });
    if (inst.accessMode === "hosted") {
      const local = opts.resolveLocalUpstream?.(inst) ?? null;
      if (!local) return sendProblem(res, 503, "Service Unavailable", "The instance is not running in this gateway.", { requestId: r.requestId, instance: r.path });
      const passHeaders: Record<string, string> = {};
      for (const h of token?.headers ?? []) {
        if (!h.passThrough) continue;
        const v = req.headers[h.name.toLowerCase()];
        passHeaders[h.name.toLowerCase()] = (Array.isArray(v) ? v[0] : v) ?? h.value;
      }
      return local.handle(req, res, body, { instanceId: inst.id, basePath: `${PROXY_PREFIX}${inst.id}`, passHeaders });
    }

    let upstream;
    try {
      upstream = instances.upstreamOf(inst);
    } catch (err) {
      logger.error({ err, instanceId: inst.id }, "cannot open the instance's upstream headers");
      return sendProblem(res, 503, "Service Unavailable", "The instance's upstream configuration cannot be opened (was MCPCAN_SECRET changed?).", { requestId: r.requestId, instance: r.path });
    }
    if (!upstream) return sendProblem(res, 503, "Service Unavailable", "The instance has no upstream configured.", { requestId: r.requestId, instance: r.path });
    const headers = buildUpstreamHeaders(req.headers, token?.headers ?? [], upstream.headers);
    const base = { headers, body, timeoutMs: upstream.timeoutMs, injected: upstream.headers, rpc: ex.rpc, requestId: r.requestId, path: r.path, method };

    if (upstream.transport === "streamable_http") {
      if (route.endpoint !== "mcp") {
        return sendProblem(res, 404, "Not Found", `This instance speaks Streamable HTTP: connect to ${PROXY_PREFIX}${inst.id}/mcp.`, { requestId: r.requestId, instance: r.path });
      }
      const upstreamRes = await requestUpstream({ ...base, url: new URL(upstream.url) }, res, ex);
      if (!upstreamRes) return;
      const session = upstreamRes.headers["mcp-session-id"] ?? req.headers["mcp-session-id"];
      if (typeof session === "string") mcpSessions.seen(`${inst.id} ${session}`, method === "DELETE" && (upstreamRes.statusCode ?? 500) < 300);
      relayResponse(upstreamRes, res, upstream.headers);
      return;
    }

    // Legacy SSE upstream. A Streamable HTTP client cannot be bridged to it here (documented).
    if (route.endpoint === "mcp") {
      return sendProblem(res, 404, "Not Found", `This instance's upstream speaks legacy HTTP+SSE: connect to ${PROXY_PREFIX}${inst.id}/sse.`, { requestId: r.requestId, instance: r.path });
    }
    if (route.endpoint === "sse") {
      const upstreamUrl = new URL(upstream.url);
      if (!headers.accept) headers.accept = "text/event-stream";
      const upstreamRes = await requestUpstream({ ...base, url: upstreamUrl, method: "GET", body: null }, res, ex);
      if (!upstreamRes) return;
      const ct = (upstreamRes.headers["content-type"] ?? "").toLowerCase();
      if (upstreamRes.statusCode !== 200 || !ct.startsWith("text/event-stream")) {
        upstreamRes.resume();
        ex.error = `upstream_status_${upstreamRes.statusCode}`;
        return sendProblem(res, 502, "Bad Gateway", `The upstream answered the SSE request with ${upstreamRes.statusCode} ${ct || "(no content type)"}.`, { requestId: r.requestId, instance: r.path });
      }
      const sessionId = sessions.newId();
      ex.sessionId = sessionId;
      let refresher: NodeJS.Timeout | undefined;
      res.once("close", () => {
        clearInterval(refresher);
        sessions.delete(sessionId);
      });
      relayLegacySse({
        upstreamRes,
        res,
        upstreamUrl,
        onEndpoint: async (messageUrl) => {
          await sessions.put(sessionId, { instanceId: inst.id, tokenId: token?.id ?? null, messageUrl });
          refresher = setInterval(() => sessions.refresh(sessionId), 10 * 60_000);
          refresher.unref();
          return `${PROXY_PREFIX}${encodeURIComponent(inst.id)}/message?sessionId=${sessionId}`;
        },
      });
      return;
    }
    // POST /message?sessionId=
    const sessionId = new URL(req.url ?? "/", "http://gateway").searchParams.get("sessionId") ?? "";
    ex.sessionId = sessionId || null;
    const session = sessionId ? await sessions.find(sessionId) : null;
    // A session belongs to the instance and token that opened it.
    if (!session || session.instanceId !== inst.id || session.tokenId !== (token?.id ?? null)) {
      return sendProblem(res, 404, "Not Found", "Unknown or expired SSE session; open a new stream at /sse.", { requestId: r.requestId, instance: r.path });
    }
    // Answers travel on the SSE stream, so a timeout here is a 504, not a JSON-RPC error in this body.
    const upstreamRes = await requestUpstream({ ...base, rpc: null, url: new URL(session.messageUrl) }, res, ex);
    if (upstreamRes) relayResponse(upstreamRes, res, upstream.headers);
  }

  return {
    handle: async (r) => {
      try {
        await handle(r);
      } catch (err) {
        logger.error({ err, requestId: r.requestId, path: r.path }, "proxy request failed");
        sendProblem(r.res, 500, "Internal Server Error", "The gateway failed to answer; quote the request id when reporting it.", { requestId: r.requestId, instance: r.path });
      }
    },
    routeLabel(path) {
      const route = parseProxyPath(path);
      return route ? `/mcp-gateway/{id}/${route.endpoint}` : "unmatched";
    },
    sink,
    async close() {
      // A subscription still trying to reach Redis is not waited for long.
      const unsubscribe = await Promise.race([started, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000).unref())]);
      await unsubscribe?.();
      await sink.close();
    },
  };
}

/**
 * Streamable HTTP sessions recently seen through this process. A session has no "closed" signal
 * besides DELETE (clients often just stop), so "open" means "active within the window".
 */
class RecentSessions {
  private readonly lastSeen = new Map<string, number>();
  constructor(
    private readonly windowMs = 10 * 60_000,
    private readonly cap = 100_000,
  ) {}

  seen(key: string, ended: boolean): void {
    this.lastSeen.delete(key);
    if (ended) return;
    this.lastSeen.set(key, Date.now());
    if (this.lastSeen.size > this.cap) this.lastSeen.delete(this.lastSeen.keys().next().value!);
  }

  count(): number {
    const cutoff = Date.now() - this.windowMs;
    // Insertion order is last-seen order: drop from the front until the first recent one.
    for (const [key, at] of this.lastSeen) {
      if (at >= cutoff) break;
      this.lastSeen.delete(key);
    }
    return this.lastSeen.size;
  }
}
