import { inject } from "vitest";

// Point every process-wide handle (getEnv, getDb, getRedis) at this run's database and prefix
// before any test module touches them.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.REDIS_URL = inject("redisUrl");
process.env.REDIS_KEY_PREFIX = inject("redisPrefix");
process.env.MCPCAN_SECRET ??= "integration-test-secret-integration-test-secret";
process.env.MCPCAN_PUBLIC_URL ??= "http://console.test";
process.env.LOG_LEVEL = "silent";
