// Service endpoints' logic: readiness of the gateway's dependencies and the Prometheus exposition.
// Kept free of HTTP so that it can be tested and reused (e.g. by the probe role).

/** What readiness needs from Postgres: a pg.Pool satisfies it. */
export type TQueryable = { query(sql: string): Promise<unknown> };
/** What readiness needs from Redis: an ioredis client satisfies it. */
export type TPingable = { ping(): Promise<string> };
export type TReadinessDeps = { pool: TQueryable; redis: TPingable };

export type TCheck = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };
export type TReadiness = { ready: boolean; checks: { postgres: TCheck; redis: TCheck } };

async function timed(run: () => Promise<unknown>, timeoutMs: number): Promise<TCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([run(), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: e.code ?? e.message ?? String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Checks Postgres (`select 1`) and Redis (PING) in parallel, each bounded by `timeoutMs`. */
export async function checkReadiness(deps: TReadinessDeps, timeoutMs = 1000): Promise<TReadiness> {
  const [postgres, redis] = await Promise.all([
    timed(() => deps.pool.query("select 1"), timeoutMs),
    timed(() => deps.redis.ping(), timeoutMs),
  ]);
  return { ready: postgres.ok && redis.ok, checks: { postgres, redis } };
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** Upper bounds (seconds) of the proxy latency histogram; SSE streams count until they end. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

type THistogram = { buckets: number[]; sum: number; count: number };

/** HTTP request counters by route and status, rendered in Prometheus text format. */
export class GatewayMetrics {
  private readonly startedAt = Date.now();
  private readonly requests = new Map<string, { route: string; status: number; count: number }>();
  private readonly proxyRequests = new Map<string, { instance: string; status: number; count: number }>();
  private readonly latency = new Map<string, THistogram>();
  /** Client-facing SSE responses currently open (Streamable HTTP streams and legacy SSE). */
  openSseStreams = 0;
  private readonly gauges = new Map<string, { help: string; type: "gauge" | "counter"; read: () => number }>();

  constructor(private readonly roles: readonly string[]) {}

  /** Counts one proxied exchange; `instance` is an instance id or "unknown" (bounded by real instances). */
  observeProxy(instance: string, status: number, seconds: number): void {
    const key = `${instance} ${status}`;
    const entry = this.proxyRequests.get(key);
    if (entry) entry.count += 1;
    else this.proxyRequests.set(key, { instance, status, count: 1 });
    let h = this.latency.get(instance);
    if (!h) {
      h = { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(instance, h);
    }
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]!) h.buckets[i]! += 1;
    h.sum += seconds;
    h.count += 1;
  }

  /** A value read at scrape time (e.g. dropped access events, open legacy SSE sessions). */
  registerValue(name: string, help: string, type: "gauge" | "counter", read: () => number): void {
    this.gauges.set(name, { help, type, read });
  }

  /** Counts one finished request; `route` must be a bounded label (a route pattern, not a raw path). */
  countRequest(route: string, status: number): void {
    const key = `${route} ${status}`;
    const entry = this.requests.get(key);
    if (entry) entry.count += 1;
    else this.requests.set(key, { route, status, count: 1 });
  }

  /** The exposition text (text/plain; version=0.0.4). */
  render(): string {
    const mem = process.memoryUsage();
    const lines = [
      "# HELP process_uptime_seconds Seconds since the gateway process started.",
      "# TYPE process_uptime_seconds gauge",
      `process_uptime_seconds ${process.uptime().toFixed(3)}`,
      "# HELP process_start_time_seconds Start time of the gateway server since the Unix epoch.",
      "# TYPE process_start_time_seconds gauge",
      `process_start_time_seconds ${Math.floor(this.startedAt / 1000)}`,
      "# HELP process_resident_memory_bytes Resident memory size in bytes.",
      "# TYPE process_resident_memory_bytes gauge",
      `process_resident_memory_bytes ${mem.rss}`,
      "# HELP nodejs_heap_used_bytes V8 heap in use, in bytes.",
      "# TYPE nodejs_heap_used_bytes gauge",
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
      "# HELP mcpcan_gateway_role Roles this gateway process runs (1 = enabled).",
      "# TYPE mcpcan_gateway_role gauge",
      ...this.roles.map((role) => `mcpcan_gateway_role{role="${escapeLabel(role)}"} 1`),
      "# HELP mcpcan_gateway_http_requests_total HTTP requests answered by the gateway, by route and status.",
      "# TYPE mcpcan_gateway_http_requests_total counter",
      ...[...this.requests.values()]
        .sort((a, b) => a.route.localeCompare(b.route) || a.status - b.status)
        .map((r) => `mcpcan_gateway_http_requests_total{route="${escapeLabel(r.route)}",status="${r.status}"} ${r.count}`),
      "# HELP mcpcan_gateway_proxy_requests_total MCP exchanges answered by the proxy, by instance and status.",
      "# TYPE mcpcan_gateway_proxy_requests_total counter",
      ...[...this.proxyRequests.values()]
        .sort((a, b) => a.instance.localeCompare(b.instance) || a.status - b.status)
        .map((r) => `mcpcan_gateway_proxy_requests_total{instance="${escapeLabel(r.instance)}",status="${r.status}"} ${r.count}`),
      "# HELP mcpcan_gateway_proxy_request_duration_seconds Time from request to the end of the response (whole stream for SSE).",
      "# TYPE mcpcan_gateway_proxy_request_duration_seconds histogram",
      ...[...this.latency.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([instance, h]) => {
          const label = `instance="${escapeLabel(instance)}"`;
          return [
            ...LATENCY_BUCKETS.map((le, i) => `mcpcan_gateway_proxy_request_duration_seconds_bucket{${label},le="${le}"} ${h.buckets[i]}`),
            `mcpcan_gateway_proxy_request_duration_seconds_bucket{${label},le="+Inf"} ${h.count}`,
            `mcpcan_gateway_proxy_request_duration_seconds_sum{${label}} ${h.sum.toFixed(6)}`,
            `mcpcan_gateway_proxy_request_duration_seconds_count{${label}} ${h.count}`,
          ];
        }),
      "# HELP mcpcan_gateway_open_sse_streams SSE responses currently streaming to clients.",
      "# TYPE mcpcan_gateway_open_sse_streams gauge",
      `mcpcan_gateway_open_sse_streams ${this.openSseStreams}`,
      ...[...this.gauges.entries()].flatMap(([name, g]) => [`# HELP ${name} ${g.help}`, `# TYPE ${name} ${g.type}`, `${name} ${g.read()}`]),
    ];
    return lines.join("\n") + "\n";
  }
}
