import { codePackagePaths } from "@/lib/code-packages/paths";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { loadCodePackage, toCodePackageView, type TCodePackageView } from "./code-package-view";

/** The uploaded archive of a package: where it is on disk, for the download route to stream. */
export async function getCodePackageArchive({ ctx, codePackageId }: { ctx: TCtx; codePackageId: string }): Promise<TCodePackageView & { path: string }> {
  requirePermission(ctx, "code_package.read");
  const row = await loadCodePackage(ctx.tx ?? getDb(), ctx.organizationId, codePackageId);
  return { ...toCodePackageView(row), path: codePackagePaths(row.id).archive };
}
