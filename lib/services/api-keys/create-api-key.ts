import { apiKey } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { generateCredential, hmac } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import type { TCreateApiKey } from "@/lib/validation/api-keys";
import { getRoleRank, requireRankAtLeast } from "../members/guard";
import { API_KEY_PREFIX, toApiKeyView, type TApiKeyView } from "./api-key-view";

/** Creates an organization API key with a role no higher than the creator's; the key is returned once. */
export async function createApiKey({ ctx, input }: { ctx: TCtx; input: TCreateApiKey }): Promise<TApiKeyView & { key: string }> {
  requirePermission(ctx, "apikey.manage");
  return (ctx.tx ?? getDb()).transaction(async (tx) => {
    await requireRankAtLeast(tx, ctx, await getRoleRank(tx, input.role));
    const key = generateCredential(API_KEY_PREFIX);
    const [row] = await tx
      .insert(apiKey)
      .values({
        id: crypto.randomUUID(),
        organizationId: ctx.organizationId,
        name: input.name,
        start: key.slice(0, API_KEY_PREFIX.length + 6),
        keyHash: hmac(key, "api-key"),
        role: input.role,
        createdBy: ctx.actor.type === "user" ? ctx.actor.id : null,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      })
      .returning();
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "api_key.created",
      targetType: "api_key",
      targetId: row!.id,
      targetLabel: row!.name,
      after: { name: row!.name, role: row!.role, start: row!.start, expiresAt: row!.expiresAt?.toISOString() ?? null },
    });
    return { ...toApiKeyView(row!), key };
  });
}
