// Instance token checks for the proxy. The credential is hashed (HMAC) and looked up by
// (instance, hash); the row is cached per (instance, hash) and dropped the moment a config event for
// that instance arrives, so disable, expiry edits and deletion reach every gateway process at pub/sub
// speed. Expiry is compared on every request against the cached expiresAt, so a token also stops
// at its expiry time with no event at all. A TTL bounds how stale a missed event can leave a process.
import { and, eq } from "drizzle-orm";
import { accessToken, type TTokenHeader } from "@/db/schema/tokens";
import type { TDb } from "@/lib/db";
import { readPresentedCredential, tokenLookupHash } from "@/lib/tokens/credential";
import type { TTokenType } from "@/lib/validation/instances";

export type TAuthToken = {
  id: string;
  organizationId: string;
  instanceId: string;
  type: TTokenType;
  enabled: boolean;
  expiresAt: Date | null;
  headers: TTokenHeader[];
};

export type TAuthResult = { ok: true; token: TAuthToken } | { ok: false };

type TEntry = { token: TAuthToken | null; loadedAt: number };

export type TTokenAuthOptions = {
  /** Resolved on first use. */
  db: () => TDb;
  /** Safety net for a missed invalidation event. */
  ttlMs?: number;
  /** Most cached (instance, hash) pairs; unknown credentials are cached too, so this bounds memory. */
  maxEntries?: number;
  /** Writes lastUsedAt at most this often per token. */
  lastUsedIntervalMs?: number;
  onError?: (err: unknown) => void;
  now?: () => number;
};

export class TokenAuthenticator {
  private readonly cache = new Map<string, TEntry>();
  /** Bumped per instance on every invalidation, so a lookup that raced an event is not cached. */
  private readonly generation = new Map<string, number>();
  private epoch = 0;
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly lastUsedIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: TTokenAuthOptions) {
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.lastUsedIntervalMs = opts.lastUsedIntervalMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Checks the credential in `headers` against the instance's tokens. */
  async authenticate(instanceId: string, headers: Record<string, string | string[] | undefined>): Promise<TAuthResult> {
    const presented = readPresentedCredential(headers);
    if (!presented || presented.value.length > 4096) return { ok: false };
    const hash = tokenLookupHash(presented.value);
    const token = await this.lookup(instanceId, hash);
    if (!token || token.type !== presented.type || !token.enabled) return { ok: false };
    if (token.expiresAt && token.expiresAt.getTime() <= this.now()) return { ok: false };
    this.touch(token.id);
    return { ok: true, token };
  }

  /** Drops every cached token of an instance (a token or instance config event). */
  invalidateInstance(instanceId: string): void {
    this.generation.set(instanceId, (this.generation.get(instanceId) ?? 0) + 1);
    const prefix = `${instanceId}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  /** Drops everything (e.g. after the event subscription reconnected and may have missed events). */
  invalidateAll(): void {
    this.epoch += 1;
    this.cache.clear();
  }

  private async lookup(instanceId: string, hash: string): Promise<TAuthToken | null> {
    const key = `${instanceId}\u0000${hash}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.loadedAt < this.ttlMs) return hit.token;
    const gen = `${this.epoch}:${this.generation.get(instanceId) ?? 0}`;
    const [row] = await this.opts
      .db()
      .select({
        id: accessToken.id,
        organizationId: accessToken.organizationId,
        instanceId: accessToken.instanceId,
        type: accessToken.type,
        enabled: accessToken.enabled,
        expiresAt: accessToken.expiresAt,
        headers: accessToken.headers,
      })
      .from(accessToken)
      .where(and(eq(accessToken.instanceId, instanceId), eq(accessToken.lookupHash, hash)))
      .limit(1);
    const token: TAuthToken | null = row ? { ...row, type: row.type as TTokenType } : null;
    if (`${this.epoch}:${this.generation.get(instanceId) ?? 0}` === gen) {
      if (this.cache.size >= this.maxEntries) {
        // Oldest first: Map keeps insertion order.
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
      this.cache.delete(key);
      this.cache.set(key, { token, loadedAt: this.now() });
    }
    return token;
  }

  /** Records use off the request path, at most once per interval per token. */
  private touch(tokenId: string): void {
    const now = this.now();
    const last = this.lastUsedWritten.get(tokenId);
    if (last !== undefined && now - last < this.lastUsedIntervalMs) return;
    this.lastUsedWritten.set(tokenId, now);
    if (this.lastUsedWritten.size > this.maxEntries) this.lastUsedWritten.delete(this.lastUsedWritten.keys().next().value!);
    setImmediate(() => {
      this.opts
        .db()
        .update(accessToken)
        .set({ lastUsedAt: new Date(now) })
        .where(eq(accessToken.id, tokenId))
        .then(
          () => undefined,
          (err: unknown) => this.opts.onError?.(err),
        );
    });
  }
}
