// Each integration run gets its own database and Redis key prefix, so runs never collide with each
// other or with a running console.
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import type { TestProject } from "vitest/node";
import { dropDatabase, ensureDatabase, migrateDatabase } from "@/db/migrate";
import { seed } from "@/db/seed";
import { createDb } from "@/lib/db";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const id = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const server = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  server.pathname = `/mcpcan_it_${id}`;
  const databaseUrl = server.toString();
  const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  const redisPrefix = `mcpcan_it_${id}:`;
  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
  const { pool, db } = createDb(databaseUrl, 2);
  await seed(db);
  await pool.end();
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisUrl", redisUrl);
  project.provide("redisPrefix", redisPrefix);
  return async () => {
    await dropDatabase(databaseUrl);
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  };
}
