// Access tokens: the credentials AI clients present to the gateway, several per instance. The value
// is stored twice: an HMAC for lookup (the gateway never needs the plaintext) and an AES-GCM copy so
// that members with token.reveal can copy it again.
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { instance } from "./instances";
import { organization } from "./organizations";

export type TTokenHeader = { name: string; value: string; passThrough: boolean };

export const accessToken = pgTable(
  "access_token",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    instanceId: text("instance_id")
      .notNull()
      .references(() => instance.id, { onDelete: "cascade" }),
    type: text("type").notNull(), // bearer | api_key | x_api_key | basic
    label: text("label").notNull().default(""),
    tags: text("tags").array().notNull().default([]),
    lookupHash: text("lookup_hash").notNull(),
    valueEncrypted: text("value_encrypted").notNull(),
    /** Display hint: the first characters of the value (or the Basic username). */
    hint: text("hint").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    headers: jsonb("headers").$type<TTokenHeader[]>().notNull().default([]),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("access_token_lookup_uq").on(t.instanceId, t.lookupHash),
    index("access_token_org_instance_idx").on(t.organizationId, t.instanceId, t.createdAt.desc()),
  ],
);
