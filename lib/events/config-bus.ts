// Config invalidation over Redis pub/sub: the console announces what changed, every gateway process
// drops its cached copy at once (tokens, instances) instead of polling.
import type Redis from "ioredis";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { createRedis, getRedis } from "@/lib/redis";

export const ZConfigEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("instance"), organizationId: z.string(), instanceId: z.string() }),
  z.object({ kind: z.literal("token"), organizationId: z.string(), instanceId: z.string(), tokenId: z.string() }),
]);
export type TConfigEvent = z.infer<typeof ZConfigEvent>;

/** The channel name; pub/sub channels are not covered by ioredis' keyPrefix, so it is added here. */
export function configChannel(): string {
  return `${getEnv().REDIS_KEY_PREFIX}config`;
}

/** Announces a change; call after the transaction that made it has committed. */
export async function publishConfigEvent(event: TConfigEvent, redis: Redis = getRedis()): Promise<void> {
  await redis.publish(configChannel(), JSON.stringify(event));
}

/** Subscribes on a dedicated connection; returns a function that unsubscribes and closes it. */
export async function subscribeConfigEvents(onEvent: (e: TConfigEvent) => void): Promise<() => Promise<void>> {
  const sub = createRedis();
  const channel = configChannel();
  sub.on("message", (ch: string, raw: string) => {
    if (ch !== channel) return;
    try {
      const parsed = ZConfigEvent.safeParse(JSON.parse(raw));
      if (parsed.success) onEvent(parsed.data);
    } catch {
      // A malformed message from another version is ignored, never fatal.
    }
  });
  await sub.subscribe(channel);
  return async () => {
    await sub.unsubscribe(channel).catch(() => undefined);
    sub.disconnect();
  };
}
