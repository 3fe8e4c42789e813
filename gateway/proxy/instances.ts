// Instance lookup for the proxy: one Postgres read per instance, cached in-process, dropped on the
// instance's config events, with a short TTL as a safety net for a missed event.
import { eq } from "drizzle-orm";
import { instance } from "@/db/schema/instances";
import type { TDb } from "@/lib/db";
import { openConfig } from "@/lib/instances/config-secrets";
import { ZInstanceConfig, type TInstanceConfig } from "@/lib/validation/instances";
import type { THttpUpstream } from "../upstream/types";

export type TGatewayInstance = {
  id: string;
  organizationId: string;
  accessMode: "hosted" | "proxy" | "direct";
  transport: "stdio" | "streamable_http" | "sse";
  public: boolean;
  desiredState: string;
  config: TInstanceConfig;
};

// Instance ids are generated (UUIDs); anything else never reaches Postgres.
const SANE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** True for a string that could be an instance id. */
export function isSaneInstanceId(id: string): boolean {
  return SANE_ID.test(id);
}

/** The HTTP target of a proxy instance, its upstream header values decrypted (throws when they cannot be). */
export function httpUpstreamOf(inst: TGatewayInstance): THttpUpstream | null {
  if (inst.config.accessMode !== "proxy") return null;
  const c = openConfig(inst.config);
  if (c.accessMode === "hosted") return null;
  const headers: Record<string, string> = {};
  for (const h of c.headers) headers[h.name.toLowerCase()] = h.value;
  return { kind: "http", url: c.url, transport: c.transport, headers, timeoutMs: c.requestTimeoutMs };
}

type TEntry = { value: TGatewayInstance | null; loadedAt: number; upstream?: THttpUpstream | null };

export class InstanceCache {
  private readonly cache = new Map<string, TEntry>();
  private readonly generation = new Map<string, number>();
  private epoch = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly opts: { db: () => TDb; ttlMs?: number; maxEntries?: number }) {
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  /** The instance, or null when it does not exist (or its id could not be one). */
  async find(id: string): Promise<TGatewayInstance | null> {
    if (!isSaneInstanceId(id)) return null;
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.loadedAt < this.ttlMs) return hit.value;
    const gen = `${this.epoch}:${this.generation.get(id) ?? 0}`;
    const [row] = await this.opts
      .db()
      .select({
        id: instance.id,
        organizationId: instance.organizationId,
        accessMode: instance.accessMode,
        transport: instance.transport,
        public: instance.public,
        desiredState: instance.desiredState,
        config: instance.config,
      })
      .from(instance)
      .where(eq(instance.id, id))
      .limit(1);
    let value: TGatewayInstance | null = null;
    if (row) {
      const config = ZInstanceConfig.safeParse(row.config);
      // A row whose config does not validate is served as "not configured", never half-applied.
      value = config.success ? ({ ...row, config: config.data } as TGatewayInstance) : ({ ...row, config: row.config } as TGatewayInstance);
      if (!config.success) value = { ...value, desiredState: "invalid" };
    }
    if (`${this.epoch}:${this.generation.get(id) ?? 0}` === gen) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(id, { value, loadedAt: Date.now() });
    }
    return value;
  }

  /** The decrypted HTTP upstream of a cached instance (decrypted once per cache entry). */
  upstreamOf(inst: TGatewayInstance): THttpUpstream | null {
    const entry = this.cache.get(inst.id);
    if (entry && entry.value === inst) {
      if (entry.upstream === undefined) entry.upstream = httpUpstreamOf(inst);
      return entry.upstream;
    }
    return httpUpstreamOf(inst);
  }

  invalidate(id: string): void {
    this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
    this.cache.delete(id);
  }

  invalidateAll(): void {
    this.epoch += 1;
    this.cache.clear();
  }
}
