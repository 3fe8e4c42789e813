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
  // Hosted legacy HTTP+SSE servers are not run by the runtime yet; refusing them here is clearer than
  // an instance that never comes up. Reach such a server in proxy mode instead.
  transport: z.enum(["stdio", "streamable_http"], {
    error: "Hosted servers speak stdio or Streamable HTTP; run a legacy SSE server yourself and add it in proxy mode",
  }),
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

// ---- REST API input and output ------------------------------------------------------------

export const OBSERVED_STATES = ["pending", "starting", "running", "stopped", "failed", "degraded"] as const;

// Rules across fields of a configuration: replica bounds in order, and names unique so that a
// masked secret ("keep the stored value") always refers to exactly one stored entry.
function configRules(config: TInstanceConfig, ctx: z.RefinementCtx, path: (string | number)[]): void {
  const unique = (names: string[], field: string): void => {
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (seen.has(n)) ctx.addIssue({ code: "custom", path: [...path, field, i, "name"], message: "Duplicate name" });
      seen.add(n);
    });
  };
  if (config.accessMode === "hosted") {
    if (config.minReplicas > config.maxReplicas) ctx.addIssue({ code: "custom", path: [...path, "maxReplicas"], message: "Must be at least minReplicas" });
    unique(config.env.map((v) => v.name), "env");
  } else {
    unique(config.headers.map((h) => h.name.toLowerCase()), "headers");
  }
}

export const ZCreateInstance = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(80),
    description: z.string().trim().max(2000).default(""),
    source: z.enum(SOURCES).default("custom"),
    config: ZInstanceConfig,
    public: z.boolean().default(false).describe("true switches token auth off: anyone with the URL may call the instance"),
  })
  .superRefine((v, ctx) => configRules(v.config, ctx, ["config"]))
  .meta({ id: "CreateInstance" });
export type TCreateInstance = z.infer<typeof ZCreateInstance>;

export const ZUpdateInstance = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(80).optional(),
    description: z.string().trim().max(2000).optional(),
    config: ZInstanceConfig.optional().describe('A new configuration version; a secret value of "********" keeps the stored one'),
    note: z.string().trim().max(500).optional().describe("Why the configuration changed (kept with the version)"),
    public: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.config) configRules(v.config, ctx, ["config"]);
  })
  .meta({ id: "UpdateInstance" });
export type TUpdateInstance = z.infer<typeof ZUpdateInstance>;

export const ZInstanceQuery = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    status: z.enum(OBSERVED_STATES).optional(),
    mode: z.enum(ACCESS_MODES).optional(),
    source: z.enum(SOURCES).optional(),
    q: z.string().trim().max(100).optional().describe("Text in the name or description"),
  })
  .meta({ id: "InstanceQuery" });
export type TInstanceQuery = z.infer<typeof ZInstanceQuery>;

export const ZScaleInstance = z.object({ replicas: z.number().int().min(0).max(50) }).meta({ id: "ScaleInstance" });
export type TScaleInstance = z.infer<typeof ZScaleInstance>;

export const ZInstance = z
  .object({
    id: z.string(),
    key: z.string().describe("The server name in client configs: mcp- + first 8 hex of the id"),
    name: z.string(),
    description: z.string(),
    source: z.enum(SOURCES),
    accessMode: z.enum(ACCESS_MODES),
    transport: z.enum(TRANSPORTS),
    config: ZInstanceConfig.describe('Secret values are shown as "********"'),
    configVersion: z.number().int(),
    desiredState: z.enum(["running", "stopped"]),
    replicas: z.number().int(),
    restartGeneration: z.number().int(),
    observedState: z.string(),
    observedMessage: z.string().nullable(),
    observedAt: z.string().nullable(),
    public: z.boolean(),
    gatewayUrl: z.string().describe("The Streamable HTTP endpoint clients connect to"),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Instance" });

export const ZInstancePage = z.object({ items: z.array(ZInstance), nextCursor: z.string().nullable() }).meta({ id: "InstancePage" });

export const ZInstanceVersion = z
  .object({ version: z.number().int(), config: ZInstanceConfig, note: z.string().nullable(), createdBy: z.string().nullable(), createdAt: z.string(), current: z.boolean() })
  .meta({ id: "InstanceVersion" });

export const ZInstanceEvent = z
  .object({ id: z.string(), type: z.string(), level: z.string(), replica: z.string().nullable(), message: z.string(), createdAt: z.string() })
  .meta({ id: "InstanceEvent" });
export const ZInstanceEventPage = z.object({ items: z.array(ZInstanceEvent), nextCursor: z.string().nullable() }).meta({ id: "InstanceEventPage" });
export const ZCursorOnlyQuery = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export const ACCESS_CLIENT_NAMES = ["generic", "cursor", "claude-desktop", "claude-code", "vscode", "windsurf", "dify"] as const;
export const ZAccessConfigQuery = z
  .object({
    tokenId: z.string().max(64).optional().describe("The token whose credential goes into the config; without it a placeholder"),
    client: z.enum(ACCESS_CLIENT_NAMES).optional().describe("One client; without it every client"),
  })
  .meta({ id: "AccessConfigQuery" });
export type TAccessConfigQuery = z.infer<typeof ZAccessConfigQuery>;

export const ZAccessConfigResult = z
  .object({
    instanceKey: z.string(),
    url: z.string(),
    tokenId: z.string().nullable(),
    valueIncluded: z.boolean().describe("false: the token value is the placeholder <token> (the caller lacks token.reveal)"),
    configs: z.array(z.object({ client: z.enum(ACCESS_CLIENT_NAMES), format: z.enum(["json", "shell"]), text: z.string() })),
  })
  .meta({ id: "AccessConfig" });
