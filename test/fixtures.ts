// Seeding through the real services, so tests exercise the same code paths as the console.
import { and, eq } from "drizzle-orm";
import { member, user } from "@/db/schema";
import type { TCtx, TUserCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { loadPermissions } from "@/lib/rbac";
import { acceptInvitation } from "@/lib/services/invitations/accept-invitation";
import { createInvitation } from "@/lib/services/invitations/create-invitation";
import { createOrganization } from "@/lib/services/organizations/create-organization";

let n = 0;
const origin = { requestId: "test-request", ip: "127.0.0.1", userAgent: "vitest" };

/** Inserts a user row directly (the password flow is Better Auth's and is covered by e2e). */
export async function makeUser(label = "user"): Promise<TUserCtx> {
  n += 1;
  const id = crypto.randomUUID();
  const email = `${label}-${n}-${id.slice(0, 6)}@example.test`;
  await getDb().insert(user).values({ id, name: `${label} ${n}`, email });
  return { ...origin, actor: { type: "user", id, label: email }, email };
}

/** The context a member acts with in an organization, as the API boundary would resolve it. */
export async function ctxFor(u: TUserCtx, organizationId: string): Promise<TCtx> {
  const [m] = await getDb()
    .select({ role: member.role })
    .from(member)
    .where(and(eq(member.userId, u.actor.id), eq(member.organizationId, organizationId)));
  const role = m?.role ?? "none";
  return { ...origin, organizationId, actor: u.actor, role, permissions: await loadPermissions(getDb(), role) };
}

/** An organization with an owner, plus members in the given roles (joined by invitation). */
export async function makeOrg(roles: string[] = []): Promise<{ orgId: string; slug: string; owner: TUserCtx; members: Record<string, TUserCtx> }> {
  const owner = await makeUser("owner");
  n += 1;
  const org = await createOrganization({ ctx: owner, input: { name: `Org ${n}`, slug: `org-${n}-${owner.actor.id.slice(0, 6)}` } });
  const ownerCtx = await ctxFor(owner, org.id);
  const members: Record<string, TUserCtx> = {};
  for (const role of roles) {
    const u = await makeUser(role);
    const inv = await createInvitation({ ctx: ownerCtx, input: { email: u.email, role } });
    await acceptInvitation({ ctx: u, invitationId: inv.id });
    members[role] = u;
  }
  return { orgId: org.id, slug: org.slug, owner, members };
}

/** "ok" when the promise resolves, else the AppError code it rejected with (other errors rethrown). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}
