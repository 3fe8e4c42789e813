import type { TCtx } from "@/lib/context";
import { decryptSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/rbac";
import type { TTokenType } from "@/lib/validation/instances";
import { loadToken } from "./token-view";

/** A token's value for a member allowed to copy it again; every reveal is audited (without the value). */
export async function revealToken({ ctx, instanceId, tokenId }: { ctx: TCtx; instanceId: string; tokenId: string }): Promise<{ id: string; type: TTokenType; value: string }> {
  requirePermission(ctx, "token.reveal");
  return (ctx.tx ?? getDb()).transaction(async (tx) => {
    const row = await loadToken(tx, ctx.organizationId, instanceId, tokenId);
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "token.revealed",
      targetType: "access_token",
      targetId: row.id,
      targetLabel: row.label || row.hint,
      after: { instanceId: row.instanceId, hint: row.hint },
    });
    return { id: row.id, type: row.type as TTokenType, value: decryptSecret(row.valueEncrypted) };
  });
}
