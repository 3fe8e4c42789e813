import { listFiles, type TFileEntry } from "@/lib/code-packages/archive";
import { codePackagePaths } from "@/lib/code-packages/paths";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { requirePermission } from "@/lib/rbac";
import { loadCodePackage, toCodePackageView, type TCodePackageView } from "./code-package-view";

export type TCodePackageDetail = TCodePackageView & { files: TFileEntry[]; filesTruncated: boolean };

/** One package with its extracted file tree (at most MCPCAN_CODE_PACKAGE_MAX_FILES entries). */
export async function getCodePackage({ ctx, codePackageId }: { ctx: TCtx; codePackageId: string }): Promise<TCodePackageDetail> {
  requirePermission(ctx, "code_package.read");
  const row = await loadCodePackage(ctx.tx ?? getDb(), ctx.organizationId, codePackageId);
  const { files, truncated } = await listFiles(codePackagePaths(row.id).files, getEnv().MCPCAN_CODE_PACKAGE_MAX_FILES);
  return { ...toCodePackageView(row), files, filesTruncated: truncated };
}
