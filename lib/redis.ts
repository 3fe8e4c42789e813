import Redis from "ioredis";
import { getEnv } from "./env";

const globalKey = Symbol.for("mcpcan.redis");
const g = globalThis as unknown as Record<symbol, Redis | undefined>;

/** A new client with the configured key prefix (pub/sub needs connections of its own). */
export function createRedis(opts: { url?: string; keyPrefix?: string } = {}): Redis {
  const env = getEnv();
  const client = new Redis(opts.url ?? env.REDIS_URL, {
    keyPrefix: opts.keyPrefix ?? env.REDIS_KEY_PREFIX,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
  client.on("error", () => {
    // ioredis reconnects by itself; callers see failures on their own commands.
  });
  return client;
}

/** The process-wide Redis client. */
export function getRedis(): Redis {
  let client = g[globalKey];
  if (!client) {
    client = createRedis();
    g[globalKey] = client;
  }
  return client;
}

/** Replace the process-wide client (integration tests use their own key prefix). */
export function setRedisForTests(client: Redis | undefined): void {
  g[globalKey] = client;
}
