// Creates the database when the server is reachable but the database is missing, then applies the
// committed SQL migrations. Used by `npm start`, the integration tests and `npm run db:migrate`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { createDb } from "@/lib/db";

const here = path.dirname(fileURLToPath(import.meta.url));
export const migrationsFolder = path.join(here, "migrations");

/** Thrown when the Postgres server itself cannot be reached; carries a one-line explanation. */
export class DatabaseUnreachableError extends Error {}

function describe(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || "5432"}`;
}

/** Connects to the server's maintenance database and creates `url`'s database if it is missing. */
export async function ensureDatabase(url: string): Promise<{ created: boolean }> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_\-]+$/.test(name)) throw new Error(`Unsupported database name in DATABASE_URL: "${name}"`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new DatabaseUnreachableError(
      `PostgreSQL is not reachable at ${describe(url)} (${(err as Error).message || (err as NodeJS.ErrnoException).code}). ` +
        `Start it (e.g. \`pg_ctlcluster --skip-systemctl-redirect 15 main start\`) or set DATABASE_URL.`,
    );
  }
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount) return { created: false };
    await client.query(`create database "${name}"`);
    return { created: true };
  } finally {
    await client.end();
  }
}

/** Applies every pending migration in db/migrations to the database at `url`. */
export async function migrateDatabase(url: string): Promise<void> {
  const { pool, db } = createDb(url, 2);
  try {
    await migrate(db, { migrationsFolder });
  } finally {
    await pool.end();
  }
}

/** Drops a database (tests only). */
export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ""));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
