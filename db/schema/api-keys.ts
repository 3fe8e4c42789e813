import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { organization, role } from "./organizations";

/** Organization-scoped management API keys. Only an HMAC of the key is stored; it is shown once. */
export const apiKey = pgTable(
  "api_key",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the key, safe to display so people can tell keys apart. */
    start: text("start").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    role: text("role")
      .notNull()
      .references(() => role.key),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_key_org_idx").on(t.organizationId, t.createdAt.desc())],
);
