// checkRedis against the real local Redis, and against a closed port.
import { describe, expect, it } from "vitest";
import { getEnv } from "@/lib/env";
import { checkRedis } from "./preflight";

describe("checkRedis", () => {
  it("returns the version of a Redis that answers", async () => {
    const { version } = await checkRedis(getEnv().REDIS_URL);
    expect(version).toMatch(/^\d+\.\d+/);
  });

  it("explains an unreachable Redis in one line with the fix", async () => {
    const err = await checkRedis("redis://127.0.0.1:6999", 1000).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^Redis is not reachable at 127\.0\.0\.1:6999 \(ECONNREFUSED\)\. Start it .*or set REDIS_URL\.$/);
    expect((err as Error).message).not.toContain("\n");
  });
});
