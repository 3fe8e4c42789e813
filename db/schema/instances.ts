// Instances: one MCP endpoint each. The row holds desired state (what the console asked for) and
// observed state (what the runtime reports); `config` is the current version of the versioned
// configuration, and every version is kept in instance_config_version for rollback.
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import type { TInstanceConfig } from "@/lib/validation/instances";
import { user } from "./auth";
import { organization } from "./organizations";

export const instance = pgTable(
  "instance",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    source: text("source").notNull(), // custom | template | openapi | code_package
    accessMode: text("access_mode").notNull(), // hosted | proxy | direct
    transport: text("transport").notNull(), // upstream transport: stdio | streamable_http | sse
    config: jsonb("config").$type<TInstanceConfig>().notNull(),
    configVersion: integer("config_version").notNull().default(1),
    desiredState: text("desired_state").notNull().default("running"), // running | stopped
    replicas: integer("replicas").notNull().default(1),
    /** Bumped by every restart request; the runtime restarts replicas whose generation is older. */
    restartGeneration: integer("restart_generation").notNull().default(0),
    observedState: text("observed_state").notNull().default("pending"), // pending | starting | running | stopped | failed | degraded
    observedMessage: text("observed_message"),
    observedAt: timestamp("observed_at", { withTimezone: true }),
    /** Token auth switched off: anyone with the URL may call it (explicit and audited). */
    public: boolean("public").notNull().default(false),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("instance_org_created_idx").on(t.organizationId, t.createdAt.desc(), t.id.desc()),
    index("instance_org_state_idx").on(t.organizationId, t.observedState),
    index("instance_org_mode_idx").on(t.organizationId, t.accessMode),
  ],
);

export const instanceConfigVersion = pgTable(
  "instance_config_version",
  {
    instanceId: text("instance_id")
      .notNull()
      .references(() => instance.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    organizationId: text("organization_id").notNull(),
    config: jsonb("config").$type<TInstanceConfig>().notNull(),
    note: text("note"),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.version] })],
);

/** Lifecycle events written by the runtime (started, exited, restarted, scaled…). */
export const instanceEvent = pgTable(
  "instance_event",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull(),
    instanceId: text("instance_id")
      .notNull()
      .references(() => instance.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    level: text("level").notNull().default("info"),
    replica: text("replica"),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("instance_event_instance_idx").on(t.instanceId, t.createdAt.desc())],
);
