// Code packages: uploaded archives (zip, tar, tar.gz) that hosted instances run from. The archive
// and its extracted files live on disk under MCPCAN_DATA_DIR/code-packages/<id>/; this row is the
// index of what is there, owned by one organization.
import { bigint, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { organization } from "./organizations";

export const codePackage = pgTable(
  "code_package",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    format: text("format").notNull(), // zip | tar | tar.gz
    /** Size of the uploaded archive. */
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    /** Regular files extracted. */
    fileCount: integer("file_count").notNull(),
    /** SHA-256 of the uploaded archive, hex. */
    sha256: text("sha256").notNull(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("code_package_org_created_idx").on(t.organizationId, t.createdAt.desc(), t.id.desc())],
);
