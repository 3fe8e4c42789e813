import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { organization } from "./organizations";

/** One row per mutation, written in the mutation's own transaction. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    actorType: text("actor_type").notNull(), // user | api_key | system
    actorId: text("actor_id"),
    actorLabel: text("actor_label"),
    action: text("action").notNull(), // e.g. member.role_changed
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    before: jsonb("before"),
    after: jsonb("after"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_org_created_idx").on(t.organizationId, t.createdAt.desc(), t.id.desc()),
    index("audit_org_action_idx").on(t.organizationId, t.action, t.createdAt.desc()),
    index("audit_org_actor_idx").on(t.organizationId, t.actorId, t.createdAt.desc()),
    index("audit_org_target_idx").on(t.organizationId, t.targetType, t.targetId),
  ],
);
