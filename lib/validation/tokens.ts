import { z } from "zod";
import { CREDENTIAL_HEADERS } from "@/lib/tokens/credential";
import { TOKEN_TYPES } from "./instances";

// Headers a token may not carry: client credentials (never forwarded) and those that belong to the
// HTTP connection or the MCP session, which the gateway owns.
const RESERVED_HEADERS = new Set<string>([
  ...CREDENTIAL_HEADERS,
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
  "content-type",
  "accept",
  "mcp-session-id",
  "mcp-protocol-version",
  "last-event-id",
  "traceparent",
  "x-trace-id",
]);

const printable = /^[\x21-\x7E]+$/;

export const ZTokenHeader = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Not a valid HTTP header name")
      .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), "This header is reserved (credentials and connection headers cannot be set)"),
    value: z.string().max(1024).regex(/^[\x20-\x7E]*$/, "Printable ASCII only, no line breaks"),
    passThrough: z.boolean().default(false).describe("Forward this header to the upstream"),
  })
  .meta({ id: "TokenHeader" });

const ZTokenHeaders = z
  .array(ZTokenHeader)
  .max(20)
  .superRefine((hs, ctx) => {
    const seen = new Set<string>();
    hs.forEach((h, i) => {
      const k = h.name.toLowerCase();
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [i, "name"], message: "Duplicate header" });
      seen.add(k);
    });
  });

const ZTags = z.array(z.string().trim().min(1).max(32)).max(20);
const ZExpiresAt = z.iso.datetime({ offset: true }).nullable().describe("null: permanent");

export const ZTokenValueInput = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("generate") }),
    z.object({
      mode: z.literal("custom"),
      value: z.string().min(8, "At least 8 characters").max(512).regex(printable, "Printable characters, no whitespace"),
    }),
    z.object({
      mode: z.literal("basic"),
      username: z.string().min(1).max(128).regex(/^[^:\s]+$/, "No colon or whitespace"),
      password: z.string().min(1).max(250).regex(/^[\x20-\x7E]+$/, "Printable ASCII only"),
    }),
  ])
  .meta({ id: "TokenValueInput", description: "generate a random value, give one (for basic: pre-encoded), or for basic a username and password" });

export const ZCreateToken = z
  .object({
    type: z.enum(TOKEN_TYPES),
    value: ZTokenValueInput.default({ mode: "generate" }),
    label: z.string().trim().max(80).default(""),
    tags: ZTags.default([]),
    expiresAt: ZExpiresAt.default(null),
    enabled: z.boolean().default(true),
    headers: ZTokenHeaders.default([]),
  })
  .superRefine((v, ctx) => {
    if (v.value.mode === "basic" && v.type !== "basic") ctx.addIssue({ code: "custom", path: ["value", "mode"], message: "Username and password are for Basic tokens" });
  })
  .meta({ id: "CreateToken" });
export type TCreateToken = z.infer<typeof ZCreateToken>;

export const ZUpdateToken = z
  .object({ label: z.string().trim().max(80).optional(), tags: ZTags.optional(), expiresAt: ZExpiresAt.optional(), enabled: z.boolean().optional(), headers: ZTokenHeaders.optional() })
  .meta({ id: "UpdateToken" });
export type TUpdateToken = z.infer<typeof ZUpdateToken>;

export const ZToken = z
  .object({
    id: z.string(),
    instanceId: z.string(),
    type: z.enum(TOKEN_TYPES),
    label: z.string(),
    tags: z.array(z.string()),
    hint: z.string().describe("The first characters of the value, or the Basic username"),
    enabled: z.boolean(),
    state: z.enum(["active", "disabled", "expired"]),
    expiresAt: z.string().nullable(),
    headers: z.array(z.object({ name: z.string(), value: z.string(), passThrough: z.boolean() })),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: "Token" });

export const ZCreatedToken = ZToken.extend({ value: z.string().describe("The token value; reveal it again with token.reveal") }).meta({ id: "CreatedToken" });
export const ZRevealedToken = z.object({ id: z.string(), type: z.enum(TOKEN_TYPES), value: z.string() }).meta({ id: "RevealedToken" });
