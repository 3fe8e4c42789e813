import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { organization } from "better-auth/plugins";
import * as schema from "@/db/schema";
import { getDb } from "@/lib/db";
import { getEnv, getSecret } from "@/lib/env";
import { consumeRateLimit } from "@/lib/rate-limit";
import { getRedis } from "@/lib/redis";
import { orgAccessControl, orgRoles } from "./roles-ac";

/**
 * Mutations of tenants, members and invitations go through our service layer (lib/services/*) so
 * that each one checks our data-driven permissions and writes its audit row in the same transaction.
 * The plugin's own mutation endpoints would bypass both, so they are switched off.
 */
export const DISABLED_ORG_PATHS = [
  "/organization/create",
  "/organization/update",
  "/organization/delete",
  "/organization/invite-member",
  "/organization/cancel-invitation",
  "/organization/accept-invitation",
  "/organization/reject-invitation",
  "/organization/remove-member",
  "/organization/update-member-role",
  "/organization/leave",
  "/organization/create-role",
  "/organization/update-role",
  "/organization/delete-role",
  "/organization/create-team",
  "/organization/update-team",
  "/organization/remove-team",
  "/organization/add-team-member",
  "/organization/remove-team-member",
];

function createAuth() {
  const env = getEnv();
  return betterAuth({
    appName: "MCP CAN",
    baseURL: env.publicUrl,
    secret: getSecret(),
    trustedOrigins: env.trustedOrigins,
    database: drizzleAdapter(getDb(), {
      provider: "pg",
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        organization: schema.organization,
        member: schema.member,
        invitation: schema.invitation,
      },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    user: { additionalFields: { locale: { type: "string", required: false, input: false } } },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    advanced: {
      cookiePrefix: "mcpcan",
      useSecureCookies: env.publicUrl.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      database: { generateId: () => crypto.randomUUID() },
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: env.MCPCAN_SIGNIN_RATE_LIMIT },
        "/sign-up/email": { window: 60, max: env.MCPCAN_SIGNIN_RATE_LIMIT },
      },
      customStorage: {
        consume: async (key, rule) => {
          const r = await consumeRateLimit(getRedis(), `auth:${key}`, rule.window, rule.max);
          return { allowed: r.allowed, retryAfter: r.retryAfter };
        },
      },
    },
    disabledPaths: DISABLED_ORG_PATHS,
    plugins: [
      organization({
        ac: orgAccessControl,
        roles: orgRoles,
        creatorRole: "owner",
        allowUserToCreateOrganization: true,
        invitationExpiresIn: 60 * 60 * 24 * 7,
      }),
      nextCookies(),
    ],
    telemetry: { enabled: false },
    logger: { disabled: env.LOG_LEVEL === "silent", level: env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace" ? "debug" : "error" },
  });
}

export type TAuth = ReturnType<typeof createAuth>;

const key = Symbol.for("mcpcan.auth");
const g = globalThis as unknown as Record<symbol, TAuth | undefined>;

/** The process-wide Better Auth instance (created on first use, after env and DB are ready). */
export function getAuth(): TAuth {
  g[key] ??= createAuth();
  return g[key]!;
}

/** Forget the instance (tests that swap the database). */
export function resetAuthForTests(): void {
  g[key] = undefined;
}
