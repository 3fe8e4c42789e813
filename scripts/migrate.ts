// `npm run db:migrate`: create the database if missing, apply migrations, seed built-in data.
// `npm start` does the same on every start; this is for deployments that migrate as a separate step.
import { runMain } from "./lib/cli";
import { resolveEnv } from "./lib/config";
import { ensureDatabaseExists, migrateAndSeed } from "./lib/database";

runMain("migrate", async () => {
  const env = resolveEnv();
  await ensureDatabaseExists(env.DATABASE_URL, "migrate");
  await migrateAndSeed(env.DATABASE_URL, "migrate");
});
