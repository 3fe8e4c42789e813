// GET|POST /api/v1/code-packages — list (code_package.read) · upload a zip, tar or tar.gz as multipart `file` or as the raw body (code_package.write).
import { apiHandler, created } from "@/lib/api/handler";
import { zodFieldErrors } from "@/lib/api/problem";
import { readUpload } from "@/lib/code-packages/upload";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { requirePermission } from "@/lib/rbac";
import { createCodePackage } from "@/lib/services/code-packages/create-code-package";
import { findCodePackages } from "@/lib/services/code-packages/find-code-packages";
import { ZCodePackageQuery, ZCreateCodePackage } from "@/lib/validation/code-packages";

export const GET = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  return findCodePackages({ ctx, query: api.query(ZCodePackageQuery) });
});

export const POST = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  // The verb checks again; checking here spares reading up to the size limit for a 403.
  requirePermission(ctx, "code_package.write");
  const upload = await readUpload(api.req, getEnv().MCPCAN_CODE_PACKAGE_MAX_BYTES);
  const parsed = ZCreateCodePackage.safeParse({ name: upload.name ?? undefined });
  if (!parsed.success) throw new AppError("validation_failed", "The request did not validate", { errors: zodFieldErrors(parsed.error) });
  return created(await createCodePackage({ ctx, input: parsed.data, body: upload.body }));
});
