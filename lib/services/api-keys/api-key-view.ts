import type { apiKey } from "@/db/schema";

export const API_KEY_PREFIX = "mcpcan_ak_";

export type TApiKeyView = {
  id: string;
  name: string;
  start: string;
  role: string;
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** The row without its hash. */
export function toApiKeyView(row: typeof apiKey.$inferSelect): TApiKeyView {
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    role: row.role,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
