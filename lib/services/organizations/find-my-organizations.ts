import { asc, eq } from "drizzle-orm";
import { member, organization } from "@/db/schema";
import { getDb, type TDbOrTx } from "@/lib/db";

export type TMyOrganization = { id: string; name: string; slug: string; role: string; createdAt: Date };

/** The organizations a user belongs to, with their role in each, oldest membership first. */
export async function findMyOrganizations({ userId, db = getDb() }: { userId: string; db?: TDbOrTx }): Promise<TMyOrganization[]> {
  return db
    .select({ id: organization.id, name: organization.name, slug: organization.slug, role: member.role, createdAt: organization.createdAt })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(eq(member.userId, userId))
    .orderBy(asc(member.createdAt));
}
