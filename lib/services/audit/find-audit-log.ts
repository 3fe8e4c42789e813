import { and, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import type { TAuditQuery } from "@/lib/validation/audit";
import { decodeCursor, toPage, type TPage } from "../pagination";

export type TAuditRow = typeof auditLog.$inferSelect;

/** Audit entries of the context's organization, newest first, filtered and keyset-paginated. */
export async function findAuditLog({ ctx, query }: { ctx: TCtx; query: TAuditQuery }): Promise<TPage<Omit<TAuditRow, "organizationId">>> {
  requirePermission(ctx, "audit.read");
  const where: SQL[] = [eq(auditLog.organizationId, ctx.organizationId)];
  if (query.action) where.push(eq(auditLog.action, query.action));
  if (query.actorId) where.push(eq(auditLog.actorId, query.actorId));
  if (query.targetType) where.push(eq(auditLog.targetType, query.targetType));
  if (query.from) where.push(gte(auditLog.createdAt, new Date(query.from)));
  if (query.to) where.push(lte(auditLog.createdAt, new Date(query.to)));
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(or(lt(auditLog.createdAt, c.createdAt), and(eq(auditLog.createdAt, c.createdAt), lt(auditLog.id, c.id)))!);
  }
  const rows = await (ctx.tx ?? getDb())
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, ({ organizationId: _, ...rest }) => rest);
}
