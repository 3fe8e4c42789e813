// Database preparation shared by `npm start` and `npm run db:migrate`: create the database when the
// server is reachable but the database is missing, apply migrations, write the built-in data.
import { DatabaseUnreachableError, ensureDatabase, migrateDatabase } from "@/db/migrate";
import { seed } from "@/db/seed";
import { createDb } from "@/lib/db";
import { describeAddress, OperatorError, say } from "./cli";

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "(none)";
}

function firstLine(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split("\n")[0] ?? "";
}

/** Makes sure the database exists; an unreachable server becomes an OperatorError with the fix. */
export async function ensureDatabaseExists(url: string, tag: string): Promise<void> {
  const where = `${databaseName(url)} at ${describeAddress(url, 5432)}`;
  let created: boolean;
  try {
    ({ created } = await ensureDatabase(url));
  } catch (err) {
    if (err instanceof DatabaseUnreachableError) throw new OperatorError(err.message);
    throw new OperatorError(`PostgreSQL at ${describeAddress(url, 5432)} answered, but checking/creating database ${databaseName(url)} failed: ${firstLine(err)}`);
  }
  say(tag, created ? `created database ${where}` : `database ${where} found`);
}

/** Applies pending migrations, then the idempotent seed. */
export async function migrateAndSeed(url: string, tag: string): Promise<void> {
  try {
    await migrateDatabase(url);
  } catch (err) {
    throw new OperatorError(`Applying migrations to database ${databaseName(url)} failed: ${firstLine(err)}`);
  }
  say(tag, "migrations applied");
  const { pool, db } = createDb(url, 2);
  try {
    await seed(db);
  } catch (err) {
    throw new OperatorError(`Seeding database ${databaseName(url)} failed: ${firstLine(err)}`);
  } finally {
    await pool.end();
  }
  say(tag, "built-in data seeded");
}
