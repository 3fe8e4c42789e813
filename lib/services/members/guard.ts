import { and, eq, sql } from "drizzle-orm";
import { member, organization } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import type { TDbOrTx } from "@/lib/db";
import { AppError, forbidden } from "@/lib/errors";
import { findRoleRank } from "@/lib/rbac";

/** Serialises membership changes of one organization (so "last owner" checks cannot race). */
export async function lockOrganization(tx: TDbOrTx, organizationId: string): Promise<void> {
  await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, organizationId)).for("update");
}

export async function countOwners(tx: TDbOrTx, organizationId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(member)
    .where(and(eq(member.organizationId, organizationId), eq(member.role, "owner")));
  return row?.n ?? 0;
}

/** The rank of a role that must exist; an unknown role is a validation error on `path`. */
export async function getRoleRank(tx: TDbOrTx, roleKey: string, path = "role"): Promise<number> {
  const rank = await findRoleRank(tx, roleKey);
  if (rank === null) throw new AppError("validation_failed", `Unknown role "${roleKey}"`, { errors: [{ path, message: "Unknown role", reason: "unknown_role" }] });
  return rank;
}

/** Nobody grants, or acts on someone holding, a role above their own. */
export async function requireRankAtLeast(tx: TDbOrTx, ctx: TCtx, otherRank: number): Promise<void> {
  const mine = (await findRoleRank(tx, ctx.role)) ?? 0;
  if (mine < otherRank) throw forbidden("You cannot grant or manage a role above your own", "role_above_own");
}
