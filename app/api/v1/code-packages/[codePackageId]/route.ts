// GET|DELETE /api/v1/code-packages/{codePackageId} — one package with its file tree (code_package.read) · delete, refused while an instance uses it (code_package.write).
import { apiHandler, noContent } from "@/lib/api/handler";
import { deleteCodePackage } from "@/lib/services/code-packages/delete-code-package";
import { getCodePackage } from "@/lib/services/code-packages/get-code-package";

type P = { codePackageId: string };

export const GET = apiHandler<P>(async (api, { codePackageId }) => getCodePackage({ ctx: await api.requireOrg(), codePackageId }));

export const DELETE = apiHandler<P>(async (api, { codePackageId }) => {
  await deleteCodePackage({ ctx: await api.requireOrg(), codePackageId });
  return noContent();
});
