import { and, eq } from "drizzle-orm";
import { accessToken } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { announce } from "../instances/announce";
import { loadToken, tokenAuditSnapshot } from "./token-view";

/** Deletes a token; every gateway process refuses it from the moment the change is announced. */
export async function deleteToken({ ctx, instanceId, tokenId }: { ctx: TCtx; instanceId: string; tokenId: string }): Promise<void> {
  requirePermission(ctx, "token.write");
  await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const current = await loadToken(tx, ctx.organizationId, instanceId, tokenId, { lock: true });
    await tx.delete(accessToken).where(and(eq(accessToken.id, current.id), eq(accessToken.organizationId, ctx.organizationId)));
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "token.deleted",
      targetType: "access_token",
      targetId: current.id,
      targetLabel: current.label || current.hint,
      before: { instanceId: current.instanceId, ...tokenAuditSnapshot(current) },
      after: null,
    });
  });
  await announce({ kind: "token", organizationId: ctx.organizationId, instanceId, tokenId });
}
