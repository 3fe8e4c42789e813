import { and, eq } from "drizzle-orm";
import { accessToken } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { encryptSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { AppError, conflict } from "@/lib/errors";
import { requirePermission } from "@/lib/rbac";
import { encodeBasic, generateTokenValue, tokenLookupHash } from "@/lib/tokens/credential";
import type { TCreateToken } from "@/lib/validation/tokens";
import { announce } from "../instances/announce";
import { loadInstance } from "../instances/instance-view";
import { toTokenView, tokenAuditSnapshot, type TTokenView } from "./token-view";

const GENERATED_BASIC_USER = "mcpcan";

/** The value a create request asks for, and the hint shown in lists. */
function resolveValue(input: TCreateToken): { value: string; hint: string } {
  const v = input.value;
  if (v.mode === "basic") return { value: encodeBasic(v.username, v.password), hint: v.username };
  if (v.mode === "generate") {
    if (input.type === "basic") return { value: encodeBasic(GENERATED_BASIC_USER, generateTokenValue()), hint: GENERATED_BASIC_USER };
    const value = generateTokenValue();
    return { value, hint: `${value.slice(0, 12)}…` };
  }
  if (input.type === "basic") {
    const decoded = Buffer.from(v.value, "base64").toString("utf8");
    const user = /^([^:\s]{1,128}):/.exec(decoded)?.[1];
    if (user && Buffer.from(decoded, "utf8").toString("base64") === v.value) return { value: v.value, hint: user };
  }
  // A short custom value would be shown whole by a 12-character hint; show at most a quarter of it.
  return { value: v.value, hint: `${v.value.slice(0, Math.min(12, Math.floor(v.value.length / 4)))}…` };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
}

/** Creates an access token for an instance; the value is returned once here (and later only by reveal). */
export async function createToken({ ctx, instanceId, input }: { ctx: TCtx; instanceId: string; input: TCreateToken }): Promise<TTokenView & { value: string }> {
  requirePermission(ctx, "token.write");
  if (input.expiresAt && new Date(input.expiresAt).getTime() <= Date.now()) {
    throw new AppError("validation_failed", "The request did not validate", { errors: [{ path: "expiresAt", message: "Must be in the future" }] });
  }
  const { value, hint } = resolveValue(input);
  const lookupHash = tokenLookupHash(value);
  let row;
  try {
    row = await (ctx.tx ?? getDb()).transaction(async (tx) => {
      const inst = await loadInstance(tx, ctx.organizationId, instanceId, { lock: true });
      const [dup] = await tx
        .select({ id: accessToken.id })
        .from(accessToken)
        .where(and(eq(accessToken.instanceId, inst.id), eq(accessToken.lookupHash, lookupHash)))
        .limit(1);
      if (dup) throw conflict("This instance already has a token with that value", "token_duplicate");
      const [row] = await tx
        .insert(accessToken)
        .values({
          id: crypto.randomUUID(),
          organizationId: ctx.organizationId,
          instanceId: inst.id,
          type: input.type,
          label: input.label,
          tags: input.tags,
          lookupHash,
          valueEncrypted: encryptSecret(value),
          hint,
          enabled: input.enabled,
          expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
          headers: input.headers,
          createdBy: ctx.actor.type === "user" ? ctx.actor.id : null,
        })
        .returning();
      await writeAudit(tx, ctx, {
        organizationId: ctx.organizationId,
        action: "token.created",
        targetType: "access_token",
        targetId: row!.id,
        targetLabel: row!.label || row!.hint,
        after: { instanceId: inst.id, ...tokenAuditSnapshot(row!) },
      });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("This instance already has a token with that value", "token_duplicate");
    throw err;
  }
  await announce({ kind: "token", organizationId: ctx.organizationId, instanceId: row.instanceId, tokenId: row.id });
  return { ...toTokenView(row), value };
}
