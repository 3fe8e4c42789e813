import { mkdir, rm } from "node:fs/promises";
import { codePackage } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { detectFormat, extractArchive, saveUpload } from "@/lib/code-packages/archive";
import { codePackagePaths } from "@/lib/code-packages/paths";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { requirePermission } from "@/lib/rbac";
import type { TCreateCodePackage } from "@/lib/validation/code-packages";
import { auditSnapshot, toCodePackageView, type TCodePackageView } from "./code-package-view";

/**
 * Stores an uploaded archive and extracts it once. The upload is cut off with 413 at the size
 * limit; a refused entry (escaping path, link, special file) or a limit reached while extracting is
 * a 422, and either way nothing of the package is left on disk or in the database.
 */
export async function createCodePackage({ ctx, input, body }: { ctx: TCtx; input: TCreateCodePackage; body: AsyncIterable<Uint8Array> }): Promise<TCodePackageView> {
  requirePermission(ctx, "code_package.write");
  const env = getEnv();
  const id = crypto.randomUUID();
  const paths = codePackagePaths(id);
  await mkdir(paths.dir, { recursive: true, mode: 0o755 });
  try {
    const { sizeBytes, sha256 } = await saveUpload(body, paths.archive, env.MCPCAN_CODE_PACKAGE_MAX_BYTES);
    const format = await detectFormat(paths.archive);
    const { fileCount } = await extractArchive(paths.archive, format, paths.files, {
      maxFiles: env.MCPCAN_CODE_PACKAGE_MAX_FILES,
      maxUnpackedBytes: env.MCPCAN_CODE_PACKAGE_MAX_UNPACKED_BYTES,
    });
    const row = await (ctx.tx ?? getDb()).transaction(async (tx) => {
      const [inserted] = await tx
        .insert(codePackage)
        .values({ id, organizationId: ctx.organizationId, name: input.name, format, sizeBytes, fileCount, sha256, createdBy: ctx.actor.type === "user" ? ctx.actor.id : null })
        .returning();
      await writeAudit(tx, ctx, {
        organizationId: ctx.organizationId,
        action: "code_package.created",
        targetType: "code_package",
        targetId: id,
        targetLabel: input.name,
        before: null,
        after: auditSnapshot(inserted!),
      });
      return inserted!;
    });
    return toCodePackageView(row);
  } catch (err) {
    await rm(paths.dir, { recursive: true, force: true });
    throw err;
  }
}
