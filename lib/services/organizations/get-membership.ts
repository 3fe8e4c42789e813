import { and, eq, or } from "drizzle-orm";
import { member, organization } from "@/db/schema";
import { getDb, type TDbOrTx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { TPermission } from "@/lib/permissions";
import { loadPermissions } from "@/lib/rbac";

export type TMembership = {
  organization: { id: string; name: string; slug: string };
  memberId: string;
  role: string;
  permissions: Set<TPermission>;
};

/**
 * Resolves an organization by id or slug for a user. An organization that does not exist and one
 * the user is not a member of both answer 404, so tenants cannot probe for each other.
 */
export async function getMembership({ userId, orgRef, db = getDb() }: { userId: string; orgRef: string; db?: TDbOrTx }): Promise<TMembership> {
  const [row] = await db
    .select({ id: organization.id, name: organization.name, slug: organization.slug, memberId: member.id, role: member.role })
    .from(organization)
    .innerJoin(member, and(eq(member.organizationId, organization.id), eq(member.userId, userId)))
    .where(or(eq(organization.id, orgRef), eq(organization.slug, orgRef.toLowerCase())))
    .limit(1);
  if (!row) throw notFound("Organization");
  return {
    organization: { id: row.id, name: row.name, slug: row.slug },
    memberId: row.memberId,
    role: row.role,
    permissions: await loadPermissions(db, row.role),
  };
}
