import type Redis from "ioredis";

// Fixed-window counter: one round trip, atomic, shared by every process using the same Redis.
const CONSUME = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

export type TRateLimitResult = { allowed: boolean; remaining: number; retryAfter: number | null };

/** Records one hit on `key` within a `windowSec` window and says whether it stays within `max`. */
export async function consumeRateLimit(redis: Redis, key: string, windowSec: number, max: number): Promise<TRateLimitResult> {
  const [count, ttl] = (await redis.eval(CONSUME, 1, `rl:${key}`, String(windowSec))) as [number, number];
  const allowed = count <= max;
  return { allowed, remaining: Math.max(0, max - count), retryAfter: allowed ? null : Math.max(1, ttl) };
}
