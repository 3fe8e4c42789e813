// Readiness against the real services: the local Postgres and Redis answer, closed ports do not.
import Redis from "ioredis";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { createRedis } from "@/lib/redis";
import { startGateway } from "./server";

const silent = pino({ level: "silent" });

// The maintenance database always exists; the app database may not have been created yet.
function maintenanceUrl(): string {
  const url = new URL(getEnv().DATABASE_URL);
  url.pathname = "/postgres";
  return url.toString();
}

describe("gateway /readyz against real Postgres and Redis", () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("is ready when both answer", async () => {
    const { pool } = createDb(maintenanceUrl(), 1);
    const redis = createRedis();
    cleanups.push(() => pool.end(), () => redis.disconnect());
    const gw = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: silent, readiness: () => ({ pool, redis }) });
    cleanups.push(() => gw.close());

    const res = await fetch(`http://127.0.0.1:${gw.port}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ready", checks: { postgres: { ok: true }, redis: { ok: true } } });
  });

  it("answers 503 naming both when neither is reachable", async () => {
    const { pool } = createDb("postgresql://postgres@127.0.0.1:5999/none", 1);
    const redis = new Redis("redis://127.0.0.1:6999", { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    redis.on("error", () => undefined);
    cleanups.push(() => pool.end(), () => redis.disconnect());
    const gw = await startGateway({ port: 0, host: "127.0.0.1", roles: ["proxy"], logger: silent, readiness: () => ({ pool, redis }) });
    cleanups.push(() => gw.close());

    const res = await fetch(`http://127.0.0.1:${gw.port}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "not_ready", failed: ["postgres", "redis"] });
  });
});
