import { and, eq } from "drizzle-orm";
import { apiKey } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { requirePermission } from "@/lib/rbac";

/** Revokes a key; every request with it fails from the next one on. Revoking twice is harmless. */
export async function revokeApiKey({ ctx, apiKeyId }: { ctx: TCtx; apiKeyId: string }): Promise<void> {
  requirePermission(ctx, "apikey.manage");
  await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(apiKey)
      .where(and(eq(apiKey.id, apiKeyId), eq(apiKey.organizationId, ctx.organizationId)))
      .for("update");
    if (!row) throw notFound("API key");
    if (row.revokedAt) return;
    const revokedAt = new Date();
    await tx.update(apiKey).set({ revokedAt }).where(and(eq(apiKey.id, row.id), eq(apiKey.organizationId, ctx.organizationId)));
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: row.id,
      targetLabel: row.name,
      before: { revokedAt: null },
      after: { revokedAt: revokedAt.toISOString() },
    });
  });
}
