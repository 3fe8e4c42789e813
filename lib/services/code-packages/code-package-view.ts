import { and, eq } from "drizzle-orm";
import { codePackage } from "@/db/schema";
import type { TDbOrTx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { TArchiveFormat } from "@/lib/code-packages/archive";

export type TCodePackageRow = typeof codePackage.$inferSelect;

export type TCodePackageView = {
  id: string;
  name: string;
  format: TArchiveFormat;
  sizeBytes: number;
  fileCount: number;
  sha256: string;
  createdBy: string | null;
  createdAt: Date;
};

export function toCodePackageView(row: TCodePackageRow): TCodePackageView {
  return {
    id: row.id,
    name: row.name,
    format: row.format as TArchiveFormat,
    sizeBytes: row.sizeBytes,
    fileCount: row.fileCount,
    sha256: row.sha256,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

/** The package of that organization; 404 when it does not exist or belongs to another tenant. */
export async function loadCodePackage(db: TDbOrTx, organizationId: string, id: string, opts: { lock?: boolean } = {}): Promise<TCodePackageRow> {
  const q = db
    .select()
    .from(codePackage)
    .where(and(eq(codePackage.id, id), eq(codePackage.organizationId, organizationId)))
    .limit(1);
  const [row] = opts.lock ? await q.for("update") : await q;
  if (!row) throw notFound("Code package");
  return row;
}

/** The audit snapshot of a package. */
export function auditSnapshot(row: TCodePackageRow): Record<string, unknown> {
  const { id: _id, organizationId: _org, createdAt: _at, ...rest } = row;
  return rest;
}
