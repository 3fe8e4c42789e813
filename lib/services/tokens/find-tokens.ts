import { and, desc, eq } from "drizzle-orm";
import { accessToken } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { loadInstance } from "../instances/instance-view";
import { toTokenView, type TTokenView } from "./token-view";

/** The tokens of an instance, newest first, without their values. */
export async function findTokens({ ctx, instanceId }: { ctx: TCtx; instanceId: string }): Promise<TTokenView[]> {
  requirePermission(ctx, "token.read");
  const db = ctx.tx ?? getDb();
  const inst = await loadInstance(db, ctx.organizationId, instanceId);
  const rows = await db
    .select()
    .from(accessToken)
    .where(and(eq(accessToken.organizationId, ctx.organizationId), eq(accessToken.instanceId, inst.id)))
    .orderBy(desc(accessToken.createdAt), desc(accessToken.id))
    .limit(500);
  return rows.map(toTokenView);
}
