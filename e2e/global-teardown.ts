// Removes what this run created: its database and its Redis keys.
// Playwright 1.65 runs the global teardown BEFORE it stops config.webServer (teardowns run in
// reverse registration order, and the web server plugin registers first), so the console and gateway
// are still up here. We stop our own web server first, the way Playwright would (SIGTERM to its
// process group, which lets scripts/start.ts stop both children), and wait until both ports refuse
// connections, so that dropping the database does not race their last queries or Redis writes.
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import Redis from "ioredis";
import pg from "pg";
import { E2E_GATEWAY_PORT, E2E_PORT, e2eDatabaseName, e2eRedisPrefix } from "./run";

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForPortsClosed(ports: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = (await Promise.all(ports.map(portAnswers))).some(Boolean);
    if (!open) return;
    if (Date.now() > deadline) {
      console.warn(`[e2e teardown] ports ${ports.join(", ")} still answer after ${timeoutMs / 1000} s; dropping anyway`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Pids of this process's children running scripts/start.ts, i.e. the web server Playwright spawned. */
function ownWebServerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("scripts/start.ts")) pids.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return pids;
}

function stopOwnWebServer(): void {
  for (const pid of ownWebServerPids()) {
    try {
      // Playwright spawns the web server as a process-group leader; signal the whole group.
      process.kill(-pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
}

const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Drops this run's database, and databases of runs that never reached their teardown (when the web
 * server fails to start, e.g. because another run holds the ports, Playwright skips the global
 * teardown, but scripts/start.ts has already created the database). A run id starts with its start
 * time in base 36 (see playwright.config.ts); only runs older than a day count as abandoned.
 */
async function dropDatabases(own: string): Promise<void> {
  const client = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'mcpcan\\_e2e\\_%'");
    const abandoned = rows
      .map((r) => r.datname)
      .filter((name) => {
        const m = /^mcpcan_e2e_([0-9a-z]{8})[0-9a-f]{6}$/.exec(name);
        return m !== null && Date.now() - parseInt(m[1]!, 36) > ABANDONED_AFTER_MS;
      });
    for (const name of [own, ...abandoned]) await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 2 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export default async function globalTeardown(): Promise<void> {
  stopOwnWebServer();
  await waitForPortsClosed([E2E_PORT, E2E_GATEWAY_PORT], 30_000);
  await dropDatabases(e2eDatabaseName());
  await deleteRedisKeys(e2eRedisPrefix());
}
