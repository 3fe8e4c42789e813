// Names of this run's private database and Redis prefix, derived from E2E_RUN_ID (set by the config).

/** The run id, reduced to characters safe in a database name. */
export function e2eRunId(): string {
  const id = process.env.E2E_RUN_ID;
  if (!id) throw new Error("E2E_RUN_ID is not set; run the suite with `npx playwright test`");
  return id.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

// Fixed by default; overridable so that two checkouts on one machine can run the suite at once.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_GATEWAY_PORT = Number(process.env.E2E_GATEWAY_PORT ?? 8180);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const e2eDatabaseName = (): string => `mcpcan_e2e_${e2eRunId()}`;
export const e2eDatabaseUrl = (): string => `postgresql://postgres@127.0.0.1:5432/${e2eDatabaseName()}`;
export const e2eRedisPrefix = (): string => `mcpcan_e2e_${e2eRunId()}:`;
