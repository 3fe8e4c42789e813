import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "@/db/schema";
import { getEnv } from "./env";

export type TDb = NodePgDatabase<typeof schema>;
/** A transaction handle; verbs accept either so that callers can compose them in one transaction. */
export type TTx = Parameters<Parameters<TDb["transaction"]>[0]>[0];
export type TDbOrTx = TDb | TTx;

type TDbHolder = { pool: pg.Pool; db: TDb };
const globalKey = Symbol.for("mcpcan.db");
const g = globalThis as unknown as Record<symbol, TDbHolder | undefined>;

/** Create a pool and Drizzle handle for a connection string (tests use their own database). */
export function createDb(url: string, max = 10): TDbHolder {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  pool.on("error", () => {
    // An idle client lost its connection (server restart); the pool replaces it on next use.
  });
  return { pool, db: drizzle(pool, { schema }) };
}

/** The process-wide database handle (one pool per process, kept across hot reloads). */
export function getDb(): TDb {
  let holder = g[globalKey];
  if (!holder) {
    holder = createDb(getEnv().DATABASE_URL);
    g[globalKey] = holder;
  }
  return holder.db;
}

/** The process-wide pool, for readiness checks and shutdown. */
export function getPool(): pg.Pool {
  getDb();
  return g[globalKey]!.pool;
}

/** Replace the process-wide handle (integration tests point it at their own database). */
export function setDbForTests(holder: TDbHolder | undefined): void {
  g[globalKey] = holder;
}
