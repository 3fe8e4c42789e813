// Checks run before anything is started, so that a missing service or a taken port is reported as
// one line with the fix instead of a crash deep inside a child process.
import net from "node:net";
import Redis from "ioredis";
import { describeAddress, OperatorError } from "./cli";

const MIN_REDIS = [6, 2] as const;

/** PINGs Redis once with a short timeout; returns its version. Unreachable → OperatorError. */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<{ version: string }> {
  const where = describeAddress(url, 6379);
  // lazyConnect + no retries: one attempt, a clear failure, and no reconnect loop left behind.
  const client = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
  // With retries off, connect() rejects with a bare "Connection is closed."; the cause (ECONNREFUSED,
  // ENOTFOUND, ...) arrives as an error event, so keep it for the message.
  let cause: NodeJS.ErrnoException | undefined;
  client.on("error", (err: NodeJS.ErrnoException) => {
    cause ??= err;
  });
  try {
    await client.connect();
    await client.ping();
    const info = await client.info("server");
    return { version: /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? "unknown" };
  } catch (err) {
    const e = cause ?? (err as NodeJS.ErrnoException);
    const reason = e.code ?? e.message ?? String(e);
    const authError = [cause, err as Error].find((x) => /NOAUTH|WRONGPASS|NOPERM/i.test(x?.message ?? ""));
    if (authError) {
      throw new OperatorError(`Redis at ${where} refused the connection (${authError.message}). Put the password in REDIS_URL (redis://:password@host:port).`);
    }
    throw new OperatorError(
      `Redis is not reachable at ${where} (${reason}). Start it (e.g. \`redis-server --daemonize yes --bind 127.0.0.1 --port 6379\`) or set REDIS_URL.`,
    );
  } finally {
    client.disconnect();
  }
}

/** True when a Redis version string is older than what the platform needs (streams, XAUTOCLAIM). */
export function isRedisTooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map((n) => Number.parseInt(n, 10));
  if (Number.isNaN(major)) return false;
  return major < MIN_REDIS[0] || (major === MIN_REDIS[0] && minor < MIN_REDIS[1]);
}

/** Fails with a one-line OperatorError when `host:port` cannot be bound (usually: already in use). */
export async function checkPortFree(port: number, host: string, what: string, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          new OperatorError(
            `Port ${port} (${what}) is already in use on ${host}. Stop the process holding it (\`ss -ltnp 'sport = :${port}'\` shows it) or set ${variable} to a free port.`,
          ),
        );
      } else {
        reject(new OperatorError(`Cannot listen on ${host}:${port} for the ${what} (${err.code ?? err.message}). Check HOST and ${variable}.`));
      }
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
