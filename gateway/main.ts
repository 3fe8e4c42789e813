// Gateway entry point: `npm run gateway -- --roles=proxy,runtime,probe,ingest` (default: all roles).
// SIGTERM/SIGINT: stop accepting, finish in-flight requests, close Postgres and Redis, exit 0.
import { getPool } from "@/lib/db";
import { getEnv, getSecret, MissingSecretError } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { getRedis } from "@/lib/redis";
import { GatewayUsageError, parseGatewayArgs, startGateway, type TGateway } from "./server";

function die(message: string, code: number): never {
  process.stderr.write(`gateway: ${message}\n`);
  process.exit(code);
}

async function closeDependencies(): Promise<void> {
  await getPool()
    .end()
    .catch(() => undefined);
  const redis = getRedis();
  // QUIT lets queued replies arrive; a Redis that is down would never answer it.
  await Promise.race([redis.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
  redis.disconnect();
}

async function main(): Promise<void> {
  let roles;
  try {
    ({ roles } = parseGatewayArgs(process.argv.slice(2)));
  } catch (err) {
    if (err instanceof GatewayUsageError) die(err.message, 2);
    throw err;
  }
  let env;
  try {
    env = getEnv();
    // Tokens are HMAC'd and encrypted with the secret: fail at start, not on the first request.
    getSecret();
  } catch (err) {
    die((err as Error).message, 1);
  }
  const logger = createLogger("gateway");

  let gateway: TGateway;
  try {
    gateway = await startGateway({ port: env.GATEWAY_PORT, host: env.HOST, roles, logger });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") {
      die(`port ${env.GATEWAY_PORT} is already in use on ${env.HOST}; stop the process holding it or set GATEWAY_PORT.`, 1);
    }
    die(`cannot listen on ${env.HOST}:${env.GATEWAY_PORT} (${e.code ?? e.message})`, 1);
  }
  logger.info({ port: gateway.port, host: env.HOST, roles }, `gateway listening on ${env.HOST}:${gateway.port} with roles ${roles.join(",")}`);

  // Under `npm start` a Ctrl-C reaches the gateway twice (SIGINT from the terminal, SIGTERM from the
  // start script); only the same signal repeated (a second Ctrl-C) skips the graceful stop.
  const received = new Set<NodeJS.Signals>();
  const stop = (signal: NodeJS.Signals): void => {
    if (received.has(signal)) {
      logger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(1);
    }
    const first = received.size === 0;
    received.add(signal);
    if (!first) return;
    // Whatever happens while draining (a log write blocking on a closed stdout pipe, a child that
    // ignores SIGTERM), the process is gone shortly after the 10 s grace period.
    setTimeout(() => process.exit(1), 16_000).unref();
    logger.info({ signal }, "stopping: no new connections, finishing in-flight requests");
    void gateway
      .close()
      .then(closeDependencies)
      .then(
        () => {
          logger.info("gateway stopped");
          process.exit(0);
        },
        (err: unknown) => {
          logger.error({ err }, "error while stopping");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
