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

/** HTTP request counters by route and status, rendered in Prometheus text format. */
export class GatewayMetrics {
  private readonly startedAt = Date.now();
  private readonly requests = new Map<string, { route: string; status: number; count: number }>();

  constructor(private readonly roles: readonly string[]) {}

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
    ];
    return lines.join("\n") + "\n";
  }
}
