import { auditLog } from "@/db/schema";
import type { TActor, TOrigin } from "./context";
import type { TDbOrTx } from "./db";

export type TAuditEntry = {
  organizationId: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  targetLabel?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

/** Writes one audit row; call it with the mutation's transaction so both commit or neither does. */
export async function writeAudit(tx: TDbOrTx, who: TOrigin & { actor: TActor }, entry: TAuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    id: crypto.randomUUID(),
    organizationId: entry.organizationId,
    actorType: who.actor.type,
    actorId: who.actor.id,
    actorLabel: who.actor.label,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    targetLabel: entry.targetLabel ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: who.ip,
    userAgent: who.userAgent?.slice(0, 512) ?? null,
    requestId: who.requestId,
  });
}

export { diffSnapshots, type TDiffRow } from "./audit-diff";
