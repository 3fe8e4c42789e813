import { asc, eq } from "drizzle-orm";
import { member, user } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";

export type TMemberRow = { id: string; userId: string; name: string; email: string; role: string; createdAt: Date };

/** Members of the context's organization, oldest first. */
export async function findMembers({ ctx }: { ctx: TCtx }): Promise<TMemberRow[]> {
  requirePermission(ctx, "members.read");
  return (ctx.tx ?? getDb())
    .select({ id: member.id, userId: member.userId, name: user.name, email: user.email, role: member.role, createdAt: member.createdAt })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, ctx.organizationId))
    .orderBy(asc(member.createdAt));
}
