import type { TCtx } from "@/lib/context";
import { decryptSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import {
  ACCESS_CLIENTS,
  credentialHeader,
  gatewayMcpUrl,
  instanceKey,
  renderAccessConfig,
  TOKEN_PLACEHOLDER,
  type TAccessConfig,
  type TAccessTarget,
} from "@/lib/instances/access-config";
import { openConfig } from "@/lib/instances/config-secrets";
import { can, requirePermission } from "@/lib/rbac";
import type { TAccessConfigQuery, TTokenType } from "@/lib/validation/instances";
import { loadToken } from "../tokens/token-view";
import { loadInstance } from "./instance-view";

export type TAccessConfigResult = { instanceKey: string; url: string; tokenId: string | null; valueIncluded: boolean; configs: TAccessConfig[] };

/**
 * The client configurations for an instance and one of its tokens. The token value is written in
 * only for callers holding token.reveal; others get the `<token>` placeholder. Without a token the
 * configs carry a Bearer placeholder (none at all for a public instance). A direct instance points
 * clients at its upstream, whose headers are likewise shown only to token.reveal holders.
 */
export async function getAccessConfig({ ctx, instanceId, query }: { ctx: TCtx; instanceId: string; query: TAccessConfigQuery }): Promise<TAccessConfigResult> {
  requirePermission(ctx, "token.read");
  const db = ctx.tx ?? getDb();
  const inst = await loadInstance(db, ctx.organizationId, instanceId);
  const token = query.tokenId ? await loadToken(db, ctx.organizationId, inst.id, query.tokenId) : null;
  const mayReveal = can(ctx, "token.reveal");
  const key = instanceKey(inst.id);

  let target: TAccessTarget;
  let valueIncluded = false;
  const cfg = inst.config;
  if (cfg.accessMode === "direct") {
    const opened = openConfig(cfg);
    const headers = mayReveal && opened.accessMode === "direct" ? opened.headers : cfg.headers.map((h) => ({ ...h, value: `<${h.name}>` }));
    target = { key, url: cfg.url, transport: cfg.transport, headers: Object.fromEntries(headers.map((h) => [h.name, h.value])) };
    valueIncluded = mayReveal && headers.length > 0;
  } else {
    const headers: Record<string, string> = {};
    if (token) {
      valueIncluded = mayReveal;
      const [name, value] = credentialHeader(token.type as TTokenType, mayReveal ? decryptSecret(token.valueEncrypted) : TOKEN_PLACEHOLDER);
      headers[name] = value;
      for (const h of token.headers) headers[h.name] = h.value;
    } else if (!inst.public) {
      const [name, value] = credentialHeader("bearer", TOKEN_PLACEHOLDER);
      headers[name] = value;
    }
    target = { key, url: gatewayMcpUrl(getEnv().gatewayPublicUrl, inst.id), transport: "streamable_http", headers };
  }
  const clients = query.client ? [query.client] : ACCESS_CLIENTS;
  return { instanceKey: key, url: target.url, tokenId: token?.id ?? null, valueIncluded, configs: clients.map((c) => renderAccessConfig(c, target)) };
}
