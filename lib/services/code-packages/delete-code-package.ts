import { rm } from "node:fs/promises";
import { and, eq, sql } from "drizzle-orm";
import { codePackage, instance } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { codePackagePaths } from "@/lib/code-packages/paths";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { conflict } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { requirePermission } from "@/lib/rbac";
import { auditSnapshot, loadCodePackage } from "./code-package-view";

/** Deletes a package and its folder; 409 while an instance's configuration still names it. */
export async function deleteCodePackage({ ctx, codePackageId }: { ctx: TCtx; codePackageId: string }): Promise<void> {
  requirePermission(ctx, "code_package.write");
  await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const current = await loadCodePackage(tx, ctx.organizationId, codePackageId, { lock: true });
    const users = await tx
      .select({ id: instance.id, name: instance.name })
      .from(instance)
      .where(and(eq(instance.organizationId, ctx.organizationId), sql`${instance.config}->>'codePackageId' = ${current.id}`))
      .limit(5);
    if (users.length) {
      throw conflict(`The code package is used by instance ${users.map((u) => `"${u.name}"`).join(", ")}; change or delete those instances first`, "code_package_in_use");
    }
    await tx.delete(codePackage).where(and(eq(codePackage.id, current.id), eq(codePackage.organizationId, ctx.organizationId)));
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "code_package.deleted",
      targetType: "code_package",
      targetId: current.id,
      targetLabel: current.name,
      before: auditSnapshot(current),
      after: null,
    });
  });
  // After the commit: a failed removal leaves an orphaned folder, never a row without its files.
  await rm(codePackagePaths(codePackageId).dir, { recursive: true, force: true }).catch((err: unknown) => {
    getLogger().error({ err, codePackageId }, "could not remove a deleted code package's folder");
  });
}
