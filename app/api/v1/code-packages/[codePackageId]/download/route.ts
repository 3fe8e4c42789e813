// GET /api/v1/code-packages/{codePackageId}/download — the archive as it was uploaded (code_package.read).
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { apiHandler } from "@/lib/api/handler";
import { getCodePackageArchive } from "@/lib/services/code-packages/get-code-package-archive";

type P = { codePackageId: string };

const MEDIA: Record<string, string> = { zip: "application/zip", tar: "application/x-tar", "tar.gz": "application/gzip" };

export const GET = apiHandler<P>(async (api, { codePackageId }) => {
  const pkg = await getCodePackageArchive({ ctx: await api.requireOrg(), codePackageId });
  const fileName = `${pkg.name.replace(/[^A-Za-z0-9._-]+/g, "_")}.${pkg.format}`;
  return new Response(Readable.toWeb(createReadStream(pkg.path)) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": MEDIA[pkg.format] ?? "application/octet-stream",
      "content-length": String(pkg.sizeBytes),
      "content-disposition": `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(`${pkg.name}.${pkg.format}`)}`,
      "x-content-type-options": "nosniff",
    },
  });
});
