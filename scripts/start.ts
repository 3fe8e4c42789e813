// `npm start`: everything a user needs to run MCP CAN on one machine, in one command.
//   1. configuration and secret   2. PostgreSQL (database created if missing) and Redis reachable
//   3. migrations + seed           4. console build, when the sources changed since the last one
//   5. console (Next) and gateway as children, output prefixed; URLs printed once both answer
// Ctrl-C (or SIGTERM) stops both; if either one dies the other is stopped and this exits non-zero.
// Flags: --dev (next dev, no build), --no-build (run the existing build as is).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { computeBuildHash, staleBuildReason, writeBuildStamp } from "./lib/build";
import { bold, describeAddress, green, OperatorError, runMain, say, warn } from "./lib/cli";
import { describeExit, spawnPrefixed, stopAllChildren, type TChild } from "./lib/children";
import { resolveEnv, resolveSecret } from "./lib/config";
import { ensureDatabaseExists, migrateAndSeed } from "./lib/database";
import { checkPortFree, checkRedis, isRedisTooOld } from "./lib/preflight";
import { loopbackFor, waitForHttp } from "./lib/wait-http";

const TAG = "start";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

type TFlags = { dev: boolean; build: boolean };

function parseFlags(argv: string[]): TFlags {
  const flags: TFlags = { dev: false, build: true };
  for (const arg of argv) {
    if (arg === "--dev") flags.dev = true;
    else if (arg === "--no-build") flags.build = false;
    else throw new OperatorError(`Unknown option ${arg}. Options: --dev (next dev, no build), --no-build (use the existing build).`);
  }
  return flags;
}

// --- shutdown ----------------------------------------------------------------------------------

let stopping = false;

async function shutdown(code: number, why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(TAG, why);
  await stopAllChildren();
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    // Second Ctrl-C: do not wait for a graceful stop.
    void stopAllChildren(0).then(() => process.exit(1));
    return;
  }
  void shutdown(0, `${signal}: stopping`);
}

// --- steps -------------------------------------------------------------------------------------

async function ensureBuild(flags: TFlags): Promise<void> {
  const reason = staleBuildReason(root, computeBuildHash(root));
  if (!flags.build) {
    if (reason === "no production build in .next yet") {
      throw new OperatorError("--no-build was given but .next holds no build. Run `npm start` once without --no-build.");
    }
    if (reason) warn(TAG, `${reason}; running the existing build anyway (--no-build)`);
    return;
  }
  if (!reason) {
    say(TAG, "console build is up to date");
    return;
  }
  say(TAG, `building the console: ${reason} (this takes a minute or two)`);
  const started = Date.now();
  const build = spawnPrefixed("build", process.execPath, [nextBin, "build"], { cwd: root });
  const exit = await build.exited;
  if (stopping) return;
  if (exit.code !== 0) throw new OperatorError(`next build ${describeExit(exit)}; the errors are above.`);
  // Hash after the build: next build may rewrite tsconfig.json, which must not force a rebuild.
  writeBuildStamp(root, computeBuildHash(root));
  say(TAG, `console built in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function waitUntilAnswering(child: TChild, url: string, timeoutMs: number, accept: (status: number) => boolean): Promise<number> {
  const result = await waitForHttp(url, { timeoutMs, accept, stopWhen: child.exited });
  if ("status" in result) return result.status;
  if (result.gaveUp === "exited") return new Promise(() => {}); // the exit watcher reports and stops
  throw new OperatorError(`The ${child.name} did not answer at ${url} within ${timeoutMs / 1000} s; its output is above.`);
}

// --- main --------------------------------------------------------------------------------------

runMain(TAG, async () => {
  const flags = parseFlags(process.argv.slice(2));
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const env = resolveEnv();
  const { secret, fromEnv } = resolveSecret();
  if (!fromEnv) say(TAG, `using the development secret in ${path.join(env.MCPCAN_DATA_DIR, "secret")} (set MCPCAN_SECRET in production)`);
  // Children inherit this process's environment; give them the same secret and no Next telemetry.
  process.env.MCPCAN_SECRET = secret;
  process.env.NEXT_TELEMETRY_DISABLED = "1";

  await ensureDatabaseExists(env.DATABASE_URL, TAG);
  const redis = await checkRedis(env.REDIS_URL);
  say(TAG, `Redis ${redis.version} at ${describeAddress(env.REDIS_URL, 6379)} answers`);
  if (isRedisTooOld(redis.version)) warn(TAG, `Redis ${redis.version} is older than 6.2; streams features will fail. Upgrade Redis.`);
  await checkPortFree(env.PORT, env.HOST, "console", "PORT");
  await checkPortFree(env.GATEWAY_PORT, env.HOST, "gateway", "GATEWAY_PORT");
  await migrateAndSeed(env.DATABASE_URL, TAG);
  if (!flags.dev) await ensureBuild(flags);
  if (stopping) return;

  const mode = flags.dev ? "dev" : "start";
  say(TAG, `starting the console (next ${mode}) on ${env.HOST}:${env.PORT} and the gateway on ${env.HOST}:${env.GATEWAY_PORT}`);
  const consoleChild = spawnPrefixed("console", process.execPath, [nextBin, mode, "-p", String(env.PORT), "-H", env.HOST], { cwd: root });
  const gatewayChild = spawnPrefixed("gateway", process.execPath, ["--import", "tsx", path.join("gateway", "main.ts")], { cwd: root });

  for (const [child, other] of [
    [consoleChild, gatewayChild],
    [gatewayChild, consoleChild],
  ] as const) {
    void child.exited.then((exit) => shutdown(1, `the ${child.name} ${describeExit(exit)}; stopping the ${other.name}`));
  }

  try {
    const host = loopbackFor(env.HOST);
    // Any HTTP answer means Next is serving; /api/healthz answers 200 once the route exists.
    const consoleWait = waitUntilAnswering(consoleChild, `http://${host}:${env.PORT}/api/healthz`, flags.dev ? 180_000 : 60_000, () => true);
    const gatewayWait = waitUntilAnswering(gatewayChild, `http://${host}:${env.GATEWAY_PORT}/healthz`, 30_000, (s) => s === 200);
    const [consoleStatus] = await Promise.all([consoleWait, gatewayWait]);
    if (consoleStatus !== 200) warn(TAG, `the console answered /api/healthz with HTTP ${consoleStatus} (expected 200)`);
  } catch (err) {
    if (err instanceof OperatorError) await stopAllChildren();
    throw err;
  }

  const lines = [
    green(bold("MCP CAN is running")),
    `  console  ${bold(env.publicUrl)}`,
    `  gateway  ${bold(env.gatewayPublicUrl)}`,
    `  first visit: sign up at ${env.publicUrl}/sign-up`,
    "  stop with Ctrl-C",
  ];
  process.stdout.write(`\n${lines.join("\n")}\n\n`);
});
