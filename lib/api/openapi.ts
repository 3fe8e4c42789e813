// The REST API's contract: every /api/v1 operation with its permission and zod schemas. The OpenAPI
// document at /api/v1/openapi.json is generated from this list, and a unit test checks that every
// route file's exported methods are listed here.
import { z } from "zod";
import { ZCreatedApiKey, ZApiKey, ZCreateApiKey } from "@/lib/validation/api-keys";
import { ZAuditEntry, ZAuditQuery } from "@/lib/validation/audit";
import { ZCodePackage, ZCodePackageDetail, ZCodePackagePage, ZCodePackageQuery, ZCodePackageUpload } from "@/lib/validation/code-packages";
import { ZProblem } from "@/lib/validation/common";
import { ZChangeMemberRole, ZCreateInvitation, ZInvitation, ZMember, ZRole } from "@/lib/validation/members";
import { ZCreateOrganization, ZOrganization, ZUpdateOrganization } from "@/lib/validation/organizations";
import {
  ZAccessConfigQuery,
  ZAccessConfigResult,
  ZCreateInstance,
  ZCursorOnlyQuery,
  ZInstance,
  ZInstanceEventPage,
  ZInstancePage,
  ZInstanceQuery,
  ZInstanceVersion,
  ZScaleInstance,
  ZUpdateInstance,
} from "@/lib/validation/instances";
import { ZCreatedToken, ZCreateToken, ZRevealedToken, ZToken, ZUpdateToken } from "@/lib/validation/tokens";
import { ZMe, ZUpdateMe } from "@/lib/validation/users";

type TOp = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  /** "org": session + organization or API key; "user": a signed-in user; "public": nobody. */
  auth: "org" | "user" | "public";
  permission?: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  /** The body is a file upload (multipart `file`, or the raw archive) rather than JSON. */
  upload?: z.ZodType;
  /** The response is a file in one of these media types rather than JSON. */
  download?: string[];
};

const ZInvitationView = z
  .object({
    id: z.string(),
    organizationName: z.string(),
    organizationSlug: z.string(),
    email: z.string(),
    role: z.string(),
    status: z.enum(["pending", "accepted", "rejected", "canceled", "expired"]),
    expiresAt: z.string(),
    inviterName: z.string().nullable(),
  })
  .meta({ id: "InvitationView" });
const ZAccepted = z.object({ organizationId: z.string(), slug: z.string(), role: z.string() }).meta({ id: "AcceptedInvitation" });
const ZAuditPage = z.object({ items: z.array(ZAuditEntry), nextCursor: z.string().nullable() }).meta({ id: "AuditPage" });

export const OPERATIONS: TOp[] = [
  { method: "get", path: "/me", summary: "The signed-in user and their organizations", tag: "Account", auth: "user", response: ZMe },
  { method: "patch", path: "/me", summary: "Remember the UI language", tag: "Account", auth: "user", body: ZUpdateMe, response: ZMe },
  { method: "get", path: "/organizations", summary: "Organizations the user belongs to", tag: "Organizations", auth: "user", response: z.array(ZOrganization) },
  { method: "post", path: "/organizations", summary: "Create an organization (you become its owner)", tag: "Organizations", auth: "user", body: ZCreateOrganization, response: ZOrganization, status: 201 },
  { method: "get", path: "/organization", summary: "The current organization", tag: "Organizations", auth: "org", permission: "org.read", response: ZOrganization },
  { method: "patch", path: "/organization", summary: "Rename the current organization", tag: "Organizations", auth: "org", permission: "org.update", body: ZUpdateOrganization, response: ZOrganization },
  { method: "get", path: "/roles", summary: "Roles and the permissions each holds", tag: "Members", auth: "org", response: z.array(ZRole) },
  { method: "get", path: "/members", summary: "Members of the organization", tag: "Members", auth: "org", permission: "members.read", response: z.array(ZMember) },
  { method: "patch", path: "/members/{memberId}", summary: "Change a member's role", tag: "Members", auth: "org", permission: "members.manage", body: ZChangeMemberRole },
  { method: "delete", path: "/members/{memberId}", summary: "Remove a member (or leave, for yourself)", tag: "Members", auth: "org", permission: "members.manage", status: 204 },
  { method: "get", path: "/invitations", summary: "Pending invitations", tag: "Members", auth: "org", permission: "members.read", response: z.array(ZInvitation) },
  { method: "post", path: "/invitations", summary: "Invite someone by email; returns the link to share", tag: "Members", auth: "org", permission: "members.manage", body: ZCreateInvitation, response: ZInvitation, status: 201 },
  { method: "delete", path: "/invitations/{invitationId}", summary: "Cancel a pending invitation", tag: "Members", auth: "org", permission: "members.manage", status: 204 },
  { method: "get", path: "/invitations/{invitationId}", summary: "What an invitation link offers (the link is the credential)", tag: "Members", auth: "public", response: ZInvitationView },
  { method: "post", path: "/invitations/{invitationId}/accept", summary: "Accept an invitation addressed to your email", tag: "Members", auth: "user", response: ZAccepted },
  { method: "get", path: "/api-keys", summary: "Management API keys", tag: "API keys", auth: "org", permission: "apikey.read", response: z.array(ZApiKey) },
  { method: "post", path: "/api-keys", summary: "Create an API key (the key is shown once)", tag: "API keys", auth: "org", permission: "apikey.manage", body: ZCreateApiKey, response: ZCreatedApiKey, status: 201 },
  { method: "delete", path: "/api-keys/{apiKeyId}", summary: "Revoke an API key", tag: "API keys", auth: "org", permission: "apikey.manage", status: 204 },
  { method: "get", path: "/audit-log", summary: "Audit log, newest first", tag: "Audit", auth: "org", permission: "audit.read", query: ZAuditQuery, response: ZAuditPage },
  { method: "get", path: "/instances", summary: "Instances, newest first (filters: status, mode, source, q; keyset cursor)", tag: "Instances", auth: "org", permission: "instance.read", query: ZInstanceQuery, response: ZInstancePage },
  { method: "post", path: "/instances", summary: "Create an instance (configuration version 1); it starts at once", tag: "Instances", auth: "org", permission: "instance.write", body: ZCreateInstance, response: ZInstance, status: 201 },
  { method: "get", path: "/instances/{instanceId}", summary: "One instance; secret values are masked", tag: "Instances", auth: "org", permission: "instance.read", response: ZInstance },
  { method: "patch", path: "/instances/{instanceId}", summary: "Edit an instance; a new config becomes the next version", tag: "Instances", auth: "org", permission: "instance.write", body: ZUpdateInstance, response: ZInstance },
  { method: "delete", path: "/instances/{instanceId}", summary: "Delete an instance with its tokens and versions", tag: "Instances", auth: "org", permission: "instance.write", status: 204 },
  { method: "post", path: "/instances/{instanceId}/start", summary: "Desired state: running", tag: "Instances", auth: "org", permission: "instance.write", response: ZInstance },
  { method: "post", path: "/instances/{instanceId}/stop", summary: "Desired state: stopped", tag: "Instances", auth: "org", permission: "instance.write", response: ZInstance },
  { method: "post", path: "/instances/{instanceId}/restart", summary: "Restart every replica", tag: "Instances", auth: "org", permission: "instance.write", response: ZInstance },
  { method: "post", path: "/instances/{instanceId}/scale", summary: "Set the replicas of a hosted instance (within min and max)", tag: "Instances", auth: "org", permission: "instance.write", body: ZScaleInstance, response: ZInstance },
  { method: "get", path: "/instances/{instanceId}/versions", summary: "Configuration versions, newest first", tag: "Instances", auth: "org", permission: "instance.read", response: z.array(ZInstanceVersion) },
  { method: "post", path: "/instances/{instanceId}/versions/{version}/rollback", summary: "Roll back: copy that version's configuration as a new version", tag: "Instances", auth: "org", permission: "instance.write", response: ZInstance },
  { method: "get", path: "/instances/{instanceId}/events", summary: "Lifecycle events, newest first", tag: "Instances", auth: "org", permission: "instance.read", query: ZCursorOnlyQuery, response: ZInstanceEventPage },
  { method: "get", path: "/instances/{instanceId}/access-config", summary: "Client configurations (generic, Cursor, Claude Desktop, Claude Code, VS Code, Windsurf, Dify); the token value only with token.reveal", tag: "Tokens", auth: "org", permission: "token.read", query: ZAccessConfigQuery, response: ZAccessConfigResult },
  { method: "get", path: "/instances/{instanceId}/tokens", summary: "Access tokens of an instance (without values)", tag: "Tokens", auth: "org", permission: "token.read", response: z.array(ZToken) },
  { method: "post", path: "/instances/{instanceId}/tokens", summary: "Create an access token (the value is in this response)", tag: "Tokens", auth: "org", permission: "token.write", body: ZCreateToken, response: ZCreatedToken, status: 201 },
  { method: "patch", path: "/instances/{instanceId}/tokens/{tokenId}", summary: "Edit a token's label, tags, expiry, enabled flag or headers", tag: "Tokens", auth: "org", permission: "token.write", body: ZUpdateToken, response: ZToken },
  { method: "delete", path: "/instances/{instanceId}/tokens/{tokenId}", summary: "Delete a token (refused by every gateway at once)", tag: "Tokens", auth: "org", permission: "token.write", status: 204 },
  { method: "post", path: "/instances/{instanceId}/tokens/{tokenId}/reveal", summary: "The token value again (audited)", tag: "Tokens", auth: "org", permission: "token.reveal", response: ZRevealedToken },
  { method: "get", path: "/code-packages", summary: "Code packages, newest first (keyset cursor)", tag: "Code packages", auth: "org", permission: "code_package.read", query: ZCodePackageQuery, response: ZCodePackagePage },
  { method: "post", path: "/code-packages", summary: "Upload a zip, tar or tar.gz (multipart `file` + `name`, or the raw archive with `?name=`); extracted once, entries escaping the folder, links and special files refused (422)", tag: "Code packages", auth: "org", permission: "code_package.write", upload: ZCodePackageUpload, response: ZCodePackage, status: 201 },
  { method: "get", path: "/code-packages/{codePackageId}", summary: "One code package with its file tree", tag: "Code packages", auth: "org", permission: "code_package.read", response: ZCodePackageDetail },
  { method: "get", path: "/code-packages/{codePackageId}/download", summary: "The archive as uploaded", tag: "Code packages", auth: "org", permission: "code_package.read", download: ["application/zip", "application/x-tar", "application/gzip"] },
  { method: "delete", path: "/code-packages/{codePackageId}", summary: "Delete a code package (409 while an instance uses it)", tag: "Code packages", auth: "org", permission: "code_package.write", status: 204 },
  { method: "get", path: "/openapi.json", summary: "This document", tag: "Meta", auth: "public" },
];

function schemaRef(schema: z.ZodType): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: `#/components/schemas/${id}` };
  if (schema instanceof z.ZodArray) return { type: "array", items: schemaRef(schema.element as z.ZodType) };
  return inline(schema);
}

function inline(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

/** Builds the OpenAPI 3.1 document for the REST API. */
export function buildOpenApiDocument(serverUrl: string): Record<string, unknown> {
  const components = z.toJSONSchema(z.globalRegistry, { io: "input", unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, unknown>;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (op.query) {
      for (const [name, s] of Object.entries(op.query.shape)) {
        params.push({ name, in: "query", required: false, schema: inline(s as z.ZodType) as { type: string } });
      }
    }
    if (op.auth === "org") params.push({ name: "X-Organization", in: "header", required: false, schema: { type: "string" } });
    const status = String(op.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: op.response
        ? { description: "OK", content: { "application/json": { schema: schemaRef(op.response) } } }
        : op.download
          ? { description: "OK", content: Object.fromEntries(op.download.map((t) => [t, { schema: { type: "string", format: "binary" } }])) }
          : { description: status === "204" ? "No content" : "OK" },
      default: { description: "Problem", content: { "application/problem+json": { schema: schemaRef(ZProblem) } } },
    };
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      tags: [op.tag],
      ...(op.permission ? { description: `Requires the \`${op.permission}\` permission.`, "x-permission": op.permission } : {}),
      security: op.auth === "public" ? [] : op.auth === "user" ? [{ session: [] }] : [{ session: [] }, { apiKey: [] }],
      parameters: params,
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaRef(op.body) } } } } : {}),
      ...(op.upload
        ? {
            requestBody: {
              required: true,
              content: {
                "multipart/form-data": { schema: schemaRef(op.upload) },
                ...Object.fromEntries(["application/zip", "application/x-tar", "application/gzip"].map((t) => [t, { schema: { type: "string", format: "binary" } }])),
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "MCP CAN management API",
      version: "1",
      description:
        "Everything the console does. Authenticate with the browser session, or with an organization API key (`Authorization: Bearer mcpcan_ak_…`), which fixes the organization. A session user in several organizations names one with the `X-Organization` header (id or slug). Errors are RFC 9457 problem+json with a request id.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: {
      schemas: components.schemas,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "mcpcan.session_token" },
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "mcpcan_ak_…" },
      },
    },
    paths,
  };
}
