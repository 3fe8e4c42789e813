import type { TDbOrTx } from "./db";
import type { TPermission } from "./permissions";

export type TActor =
  | { type: "user"; id: string; label: string }
  | { type: "api_key"; id: string; label: string }
  | { type: "system"; id: null; label: string };

/** Where a request came from, for the audit log. */
export type TOrigin = { requestId: string; ip: string | null; userAgent: string | null };

/**
 * What every org-scoped verb receives: the tenant, who acts (with which role and permissions, as
 * resolved once at the boundary), and the request's origin. `tx` lets a caller compose verbs in
 * one transaction.
 */
export type TCtx = TOrigin & {
  organizationId: string;
  actor: TActor;
  role: string;
  permissions: ReadonlySet<TPermission>;
  tx?: TDbOrTx;
};

/** Context of a signed-in user outside any organization (creating one, accepting an invite). */
export type TUserCtx = TOrigin & { actor: Extract<TActor, { type: "user" }>; email: string };
