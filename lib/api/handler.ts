import { eq } from "drizzle-orm";
import type { z } from "zod";
import { organization } from "@/db/schema";
import { getAuth } from "@/lib/auth/auth";
import type { TCtx, TOrigin, TUserCtx } from "@/lib/context";
import { getEnv } from "@/lib/env";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { loadPermissions } from "@/lib/rbac";
import { consumeRateLimit } from "@/lib/rate-limit";
import { getRedis } from "@/lib/redis";
import { getDb } from "@/lib/db";
import { verifyApiKey } from "@/lib/services/api-keys/verify-api-key";
import { findMyOrganizations } from "@/lib/services/organizations/find-my-organizations";
import { getMembership } from "@/lib/services/organizations/get-membership";
import { problemResponse, zodFieldErrors } from "./problem";
import { requestIdFrom } from "./request-id";

const MAX_JSON_BODY = 1024 * 1024;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

type TSessionUser = { id: string; email: string; name: string };

/** Per-request helpers handed to a route: authentication, tenancy, parsing. */
export type TApi = {
  req: Request;
  requestId: string;
  origin: TOrigin;
  /** The signed-in browser user (API keys are refused: they belong to an organization, not a person). */
  requireUser(): Promise<TUserCtx>;
  /** The organization the caller acts in, with role and permissions resolved once, here. */
  requireOrg(): Promise<TCtx>;
  json<T extends z.ZodType>(schema: T): Promise<z.infer<T>>;
  query<T extends z.ZodType>(schema: T): z.infer<T>;
};

async function findOrganizationSlug(organizationId: string): Promise<string | null> {
  const [row] = await getDb().select({ slug: organization.slug }).from(organization).where(eq(organization.id, organizationId)).limit(1);
  return row?.slug ?? null;
}

function clientIp(req: Request): string | null {
  const fwd = req.headers.get("x-forwarded-for");
  const ip = fwd?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || null;
  // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; store the address people know.
  return ip?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1") ?? null;
}

function bearer(req: Request): string | null {
  const h = req.headers.get("authorization");
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  if (!m) throw new AppError("unauthenticated", "Use `Authorization: Bearer <api key>`");
  return m[1]!.trim();
}

// Cookie-authenticated mutations must come from our own pages: browsers always send Origin on
// cross-site POST/PATCH/DELETE, so a foreign or missing Origin is refused (CSRF defence on top of
// SameSite=Lax cookies).
function assertSameOrigin(req: Request): void {
  if (!UNSAFE.has(req.method)) return;
  const origin = req.headers.get("origin");
  const own = new URL(req.url).origin;
  if (origin && (origin === own || getEnv().trustedOrigins.includes(origin))) return;
  throw forbidden("Cross-site request refused: mutations with a session cookie must come from the console", "cross_site");
}

async function sessionUser(req: Request): Promise<TSessionUser | null> {
  const session = await getAuth().api.getSession({ headers: req.headers });
  return session ? { id: session.user.id, email: session.user.email, name: session.user.name } : null;
}

/**
 * Wraps a route handler: request id, authentication helpers, errors as problem+json. The handler
 * returns a Response or a JSON-serialisable value (sent with 200).
 */
export function apiHandler<P = Record<string, string>>(
  fn: (api: TApi, params: P) => Promise<Response | unknown>,
): (req: Request, route: { params: Promise<P> }) => Promise<Response> {
  return async (req, route) => {
    const requestId = requestIdFrom(req.headers);
    const origin: TOrigin = { requestId, ip: clientIp(req), userAgent: req.headers.get("user-agent") };
    let cachedUser: TSessionUser | null | undefined;
    const getUser = async (): Promise<TSessionUser | null> => (cachedUser === undefined ? (cachedUser = await sessionUser(req)) : cachedUser);

    const api: TApi = {
      req,
      requestId,
      origin,
      async requireUser() {
        if (req.headers.get("authorization")) throw forbidden("This endpoint is for signed-in users, not API keys");
        const u = await getUser();
        if (!u) throw new AppError("unauthenticated", "Sign in first");
        assertSameOrigin(req);
        return { ...origin, actor: { type: "user", id: u.id, label: u.email }, email: u.email };
      },
      async requireOrg() {
        const key = bearer(req);
        if (key) {
          const verified = await verifyApiKey({ key });
          if (!verified) throw new AppError("unauthenticated", "The API key is invalid, revoked or expired");
          // A key belongs to one organization; naming another one is asking for another tenant's data.
          const named = req.headers.get("x-organization")?.trim();
          if (named && named !== verified.organizationId && named.toLowerCase() !== (await findOrganizationSlug(verified.organizationId))) {
            throw notFound("Organization");
          }
          const limit = getEnv().MCPCAN_API_RATE_LIMIT;
          const rl = await consumeRateLimit(getRedis(), `api:${verified.id}`, 60, limit);
          if (!rl.allowed) throw new AppError("rate_limited", `At most ${limit} requests per minute per API key`, { headers: { "retry-after": String(rl.retryAfter) } });
          return {
            ...origin,
            organizationId: verified.organizationId,
            actor: { type: "api_key", id: verified.id, label: `api-key:${verified.name}` },
            role: verified.role,
            permissions: await loadPermissions(getDb(), verified.role),
          };
        }
        const u = await getUser();
        if (!u) throw new AppError("unauthenticated", "Sign in, or send `Authorization: Bearer <api key>`");
        assertSameOrigin(req);
        let orgRef = req.headers.get("x-organization")?.trim();
        if (!orgRef) {
          const mine = await findMyOrganizations({ userId: u.id });
          if (mine.length !== 1) {
            throw new AppError("bad_request", mine.length ? "You belong to several organizations: name one with the X-Organization header (id or slug)" : "You are not a member of any organization yet");
          }
          orgRef = mine[0]!.id;
        }
        const m = await getMembership({ userId: u.id, orgRef });
        return { ...origin, organizationId: m.organization.id, actor: { type: "user", id: u.id, label: u.email }, role: m.role, permissions: m.permissions };
      },
      async json(schema) {
        const type = req.headers.get("content-type") ?? "";
        if (!type.toLowerCase().includes("application/json")) throw new AppError("bad_request", "Send a JSON body with Content-Type: application/json");
        const declared = Number(req.headers.get("content-length") ?? 0);
        if (declared > MAX_JSON_BODY) throw new AppError("payload_too_large", `The body is larger than ${MAX_JSON_BODY} bytes`);
        const text = await req.text();
        if (Buffer.byteLength(text) > MAX_JSON_BODY) throw new AppError("payload_too_large", `The body is larger than ${MAX_JSON_BODY} bytes`);
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          throw new AppError("bad_request", "The body is not valid JSON");
        }
        const parsed = schema.safeParse(raw);
        if (!parsed.success) throw new AppError("validation_failed", "The request did not validate", { errors: zodFieldErrors(parsed.error) });
        return parsed.data;
      },
      query(schema) {
        const params = Object.fromEntries(new URL(req.url).searchParams);
        const parsed = schema.safeParse(params);
        if (!parsed.success) throw new AppError("validation_failed", "The query string did not validate", { errors: zodFieldErrors(parsed.error) });
        return parsed.data;
      },
    };

    try {
      const result = await fn(api, await route.params);
      const res = result instanceof Response ? result : Response.json(result ?? null);
      res.headers.set("x-request-id", requestId);
      if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
      return res;
    } catch (err) {
      const { response, unexpected } = problemResponse(err, requestId);
      if (unexpected) getLogger().error({ err, requestId, path: new URL(req.url).pathname }, "unhandled error in API route");
      return response;
    }
  };
}

/** 204 No Content. */
export const noContent = (): Response => new Response(null, { status: 204 });
/** 201 Created with a JSON body. */
export const created = (body: unknown): Response => Response.json(body, { status: 201 });
