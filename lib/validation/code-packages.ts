import { z } from "zod";
import { ZCursorQuery } from "./common";

export const CODE_PACKAGE_FORMATS = ["zip", "tar", "tar.gz"] as const;

export const ZCodePackageName = z.string().trim().min(1, "Name is required").max(120);

/** What an upload carries besides the archive (multipart `name` field or `?name=`). */
export const ZCreateCodePackage = z.object({ name: ZCodePackageName.default("package") });
export type TCreateCodePackage = z.infer<typeof ZCreateCodePackage>;

export const ZCodePackageQuery = ZCursorQuery;
export type TCodePackageQuery = z.infer<typeof ZCodePackageQuery>;

export const ZCodePackage = z
  .object({
    id: z.string(),
    name: z.string(),
    format: z.enum(CODE_PACKAGE_FORMATS),
    sizeBytes: z.number().int().describe("Size of the uploaded archive"),
    fileCount: z.number().int(),
    sha256: z.string().describe("SHA-256 of the uploaded archive, hex"),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "CodePackage" });

export const ZCodePackageDetail = ZCodePackage.extend({
  files: z.array(z.object({ path: z.string(), size: z.number().int() })).describe("Extracted files, sorted by path"),
  filesTruncated: z.boolean().describe("More files exist than the listing shows (capped at the file limit)"),
}).meta({ id: "CodePackageDetail" });

export const ZCodePackagePage = z.object({ items: z.array(ZCodePackage), nextCursor: z.string().nullable() }).meta({ id: "CodePackagePage" });

/** The upload body as OpenAPI shows it (the route reads the stream itself). */
export const ZCodePackageUpload = z
  .object({
    file: z.string().meta({ format: "binary" }).describe("A zip, tar or tar.gz archive; the format is read from its first bytes"),
    name: ZCodePackageName.optional(),
  })
  .meta({ id: "CodePackageUpload" });
