import { and, eq } from "drizzle-orm";
import { accessToken } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import type { TUpdateToken } from "@/lib/validation/tokens";
import { announce } from "../instances/announce";
import { loadToken, toTokenView, tokenAuditSnapshot, type TTokenView } from "./token-view";

/** Edits a token's label, tags, expiry, enabled flag or headers (never its value); gateways drop it at once. */
export async function updateToken({ ctx, instanceId, tokenId, input }: { ctx: TCtx; instanceId: string; tokenId: string; input: TUpdateToken }): Promise<TTokenView> {
  requirePermission(ctx, "token.write");
  const { row, changed } = await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const current = await loadToken(tx, ctx.organizationId, instanceId, tokenId, { lock: true });
    const set: Partial<typeof accessToken.$inferInsert> = {};
    if (input.label !== undefined) set.label = input.label;
    if (input.tags !== undefined) set.tags = input.tags;
    if (input.enabled !== undefined) set.enabled = input.enabled;
    if (input.headers !== undefined) set.headers = input.headers;
    if (input.expiresAt !== undefined) set.expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (!Object.keys(set).length) return { row: current, changed: false };
    const [updated] = await tx
      .update(accessToken)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(accessToken.id, current.id), eq(accessToken.organizationId, ctx.organizationId)))
      .returning();
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "token.updated",
      targetType: "access_token",
      targetId: current.id,
      targetLabel: updated!.label || updated!.hint,
      before: tokenAuditSnapshot(current),
      after: tokenAuditSnapshot(updated!),
    });
    return { row: updated!, changed: true };
  });
  if (changed) await announce({ kind: "token", organizationId: ctx.organizationId, instanceId: row.instanceId, tokenId: row.id });
  return toTokenView(row);
}
