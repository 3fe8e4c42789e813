import { and, eq } from "drizzle-orm";
import { codePackage } from "@/db/schema";
import { codePackagePaths } from "@/lib/code-packages/paths";
import { getDb, type TDbOrTx } from "@/lib/db";

/**
 * The extracted files of a package, for the runtime to use as a working directory; null when the
 * package does not exist or belongs to another organization.
 */
export async function codePackageDir(organizationId: string, id: string, db: TDbOrTx = getDb()): Promise<string | null> {
  const [row] = await db
    .select({ id: codePackage.id })
    .from(codePackage)
    .where(and(eq(codePackage.id, id), eq(codePackage.organizationId, organizationId)))
    .limit(1);
  return row ? codePackagePaths(row.id).files : null;
}
