/**
 * The only reader of process.env. Everything configurable is declared here, with its default, and
 * documented in the README's configuration table.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  MCPCAN_ENV: z.enum(["development", "production"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/mcpcan"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  REDIS_KEY_PREFIX: z.string().default("mcpcan:"),
  MCPCAN_SECRET: z.string().optional(),
  MCPCAN_DATA_DIR: z.string().default(".mcpcan"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  MCPCAN_PUBLIC_URL: z.string().url().optional(),
  MCPCAN_GATEWAY_PUBLIC_URL: z.string().url().optional(),
  MCPCAN_TRUSTED_ORIGINS: z.string().default(""),
  MCPCAN_GATEWAY_ALLOWED_HOSTS: z.string().default(""),
  MCPCAN_SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  MCPCAN_API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /** Largest MCP request body the gateway accepts (bytes); larger ones get 413. */
  MCPCAN_GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  /** Requests per minute per access token, counted in Redis across every gateway process. */
  MCPCAN_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /** Largest code package archive accepted by an upload (bytes); larger ones get 413. */
  MCPCAN_CODE_PACKAGE_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  /** Most files (and, separately, folders) one code package may extract. */
  MCPCAN_CODE_PACKAGE_MAX_FILES: z.coerce.number().int().min(1).default(5000),
  /** Most bytes one code package may extract, counted as written (zip bombs lie in their headers). */
  MCPCAN_CODE_PACKAGE_MAX_UNPACKED_BYTES: z.coerce.number().int().min(1024).default(500 * 1024 * 1024),
  SMTP_URL: z.string().optional(),
  SMTP_FROM: z.string().default("MCP CAN <no-reply@localhost>"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export type TEnv = z.infer<typeof ZEnv> & {
  publicUrl: string;
  gatewayPublicUrl: string;
  trustedOrigins: string[];
};

let cached: TEnv | undefined;

/** Parsed, validated configuration; throws a readable error naming the bad variable. */
export function getEnv(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${String(first?.path[0])}: ${first?.message}`);
  }
  const e = parsed.data;
  const publicUrl = (e.MCPCAN_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  const gatewayPublicUrl = (e.MCPCAN_GATEWAY_PUBLIC_URL ?? `http://localhost:${e.GATEWAY_PORT}`).replace(/\/$/, "");
  const trusted = new Set<string>([publicUrl]);
  // A console reached on its loopback address is the same console; accept both spellings.
  if (!e.MCPCAN_PUBLIC_URL) {
    trusted.add(`http://127.0.0.1:${e.PORT}`);
    trusted.add(`http://localhost:${e.PORT}`);
  }
  for (const o of e.MCPCAN_TRUSTED_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean)) trusted.add(o);
  cached = { ...e, publicUrl, gatewayPublicUrl, trustedOrigins: [...trusted] };
  return cached;
}

/** Drop the cached configuration (tests change process.env between cases). */
export function resetEnvForTests(): void {
  cached = undefined;
}

export class MissingSecretError extends Error {}

/**
 * The auth and encryption key. Production refuses to run without MCPCAN_SECRET; development
 * generates one once into MCPCAN_DATA_DIR/secret (git-ignored) so that restarts keep sessions and
 * encrypted values readable.
 */
export function getSecret(): string {
  const env = getEnv();
  if (env.MCPCAN_SECRET) {
    if (env.MCPCAN_SECRET.length < 32) throw new MissingSecretError("MCPCAN_SECRET must be at least 32 characters long");
    return env.MCPCAN_SECRET;
  }
  if (env.MCPCAN_ENV === "production") {
    throw new MissingSecretError(
      "MCPCAN_SECRET is not set. In production it is required: set it to a random value of 32+ characters (e.g. `openssl rand -base64 48`).",
    );
  }
  const file = path.resolve(env.MCPCAN_DATA_DIR, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  process.emitWarning(`MCPCAN_SECRET is not set; generated a development secret in ${file}. Set MCPCAN_SECRET in production.`);
  return secret;
}

/** True when the secret came from the environment rather than the development file. */
export function secretFromEnv(): boolean {
  return Boolean(getEnv().MCPCAN_SECRET);
}

/**
 * The host's PATH, HOME and LANG: the only parts of the gateway's own environment that hosted MCP
 * server processes inherit (everything else, secrets included, stays out of their environment).
 */
export function hostProcessEnv(): { PATH?: string; HOME?: string; LANG?: string } {
  const { PATH, HOME, LANG } = process.env;
  return { PATH, HOME, LANG };
}
