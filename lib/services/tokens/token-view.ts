import { and, eq } from "drizzle-orm";
import { accessToken, type TTokenHeader } from "@/db/schema";
import type { TDbOrTx } from "@/lib/db";
import { notFound } from "@/lib/errors";

export type TTokenRow = typeof accessToken.$inferSelect;

export type TTokenView = {
  id: string;
  instanceId: string;
  type: string;
  label: string;
  tags: string[];
  hint: string;
  enabled: boolean;
  state: "active" | "disabled" | "expired";
  expiresAt: Date | null;
  headers: TTokenHeader[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
};

/** Whether the gateway accepts a token now. */
export function tokenState(row: Pick<TTokenRow, "enabled" | "expiresAt">, now = Date.now()): TTokenView["state"] {
  if (!row.enabled) return "disabled";
  if (row.expiresAt && row.expiresAt.getTime() <= now) return "expired";
  return "active";
}

/** The row without its hash and encrypted value. */
export function toTokenView(row: TTokenRow): TTokenView {
  return {
    id: row.id,
    instanceId: row.instanceId,
    type: row.type,
    label: row.label,
    tags: row.tags,
    hint: row.hint,
    enabled: row.enabled,
    state: tokenState(row),
    expiresAt: row.expiresAt,
    headers: row.headers,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

/** What an audit row may say about a token: never its value, hash or ciphertext. */
export function tokenAuditSnapshot(row: TTokenRow): Record<string, unknown> {
  return {
    type: row.type,
    label: row.label,
    tags: row.tags,
    hint: row.hint,
    enabled: row.enabled,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    headers: row.headers.map((h) => ({ name: h.name, passThrough: h.passThrough })),
  };
}

/** One token of one instance of an organization; 404 when it belongs elsewhere. */
export async function loadToken(tx: TDbOrTx, organizationId: string, instanceId: string, tokenId: string, opts: { lock?: boolean } = {}): Promise<TTokenRow> {
  const q = tx
    .select()
    .from(accessToken)
    .where(and(eq(accessToken.id, tokenId), eq(accessToken.instanceId, instanceId), eq(accessToken.organizationId, organizationId)))
    .limit(1);
  const [row] = opts.lock ? await q.for("update") : await q;
  if (!row) throw notFound("Token");
  return row;
}
