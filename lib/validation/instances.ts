import { z } from "zod";

export const ACCESS_MODES = ["hosted", "proxy", "direct"] as const;
export const TRANSPORTS = ["stdio", "streamable_http", "sse"] as const;
export const SOURCES = ["custom", "template", "openapi", "code_package"] as const;
export const SESSION_MODES = ["per_session", "shared"] as const;

const ZHeaderName = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Not a valid HTTP header name");

/** An environment variable of a hosted process; secret values are encrypted at rest (`enc:` prefix). */
export const ZEnvVar = z.object({
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Letters, digits and _; not starting with a digit"),
  value: z.string().max(32_768),
  secret: z.boolean().default(false),
});

/** A header the gateway injects towards the upstream; never shown to clients. Value encrypted at rest. */
export const ZUpstreamHeader = z.object({ name: ZHeaderName, value: z.string().max(8192) });

const ZHosted = z.object({
  accessMode: z.literal("hosted"),
  transport: z.enum(["stdio", "streamable_http", "sse"]),
  command: z.string().trim().min(1, "Command is required").max(1024),
  args: z.array(z.string().max(4096)).max(128).default([]),
  env: z.array(ZEnvVar).max(200).default([]),
  codePackageId: z.string().max(64).nullable().default(null),
  initScript: z.string().max(16_384).nullable().default(null),
  /** HTTP servers: the port the process listens on; null lets the runtime assign one (passed as PORT). */
  port: z.number().int().min(1).max(65535).nullable().default(null),
  /** HTTP servers: the MCP endpoint path on the process (/mcp, or /sse for legacy SSE servers). */
  path: z.string().startsWith("/").max(512).default("/mcp"),
  startupTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  idleTimeoutMs: z.number().int().min(10_000).max(86_400_000).default(600_000),
  sessionMode: z.enum(SESSION_MODES).default("per_session"),
  /** per_session: at most this many live processes (sessions) per instance. */
  maxSessions: z.number().int().min(1).max(1000).default(50),
  minReplicas: z.number().int().min(0).max(50).default(1),
  maxReplicas: z.number().int().min(1).max(50).default(1),
  requestTimeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
});

const ZRemote = z.object({
  accessMode: z.enum(["proxy", "direct"]),
  transport: z.enum(["streamable_http", "sse"]),
  url: z.url({ protocol: /^https?$/, error: "An http(s) URL of the MCP endpoint" }).max(2048),
  headers: z.array(ZUpstreamHeader).max(50).default([]),
  requestTimeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
});

export const ZInstanceConfig = z.discriminatedUnion("accessMode", [ZHosted, ZRemote]).meta({ id: "InstanceConfig" });
export type TInstanceConfig = z.infer<typeof ZInstanceConfig>;
export type THostedConfig = z.infer<typeof ZHosted>;
export type TRemoteConfig = z.infer<typeof ZRemote>;

export const TOKEN_TYPES = ["bearer", "api_key", "x_api_key", "basic"] as const;
export type TTokenType = (typeof TOKEN_TYPES)[number];
