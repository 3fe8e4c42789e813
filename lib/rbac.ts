import { eq } from "drizzle-orm";
import { role, rolePermission } from "@/db/schema";
import type { TCtx } from "./context";
import type { TDbOrTx } from "./db";
import { forbidden } from "./errors";
import { PERMISSIONS, type TPermission } from "./permissions";

const known = new Set<string>(PERMISSIONS);

/** The permissions a role holds according to the role_permission table; unknown roles hold none. */
export async function loadPermissions(db: TDbOrTx, roleKey: string): Promise<Set<TPermission>> {
  const rows = await db.select({ p: rolePermission.permission }).from(rolePermission).where(eq(rolePermission.roleKey, roleKey));
  return new Set(rows.map((r) => r.p).filter((p): p is TPermission => known.has(p)));
}

/** A role's rank (higher is stronger), or null when the role does not exist. */
export async function findRoleRank(db: TDbOrTx, roleKey: string): Promise<number | null> {
  const [row] = await db.select({ rank: role.rank }).from(role).where(eq(role.key, roleKey)).limit(1);
  return row?.rank ?? null;
}

/** All roles, strongest first. */
export async function listRoles(db: TDbOrTx): Promise<{ key: string; rank: number; permissions: TPermission[] }[]> {
  const roles = await db.select().from(role);
  const perms = await db.select().from(rolePermission);
  return roles
    .sort((a, b) => b.rank - a.rank)
    .map((r) => ({
      key: r.key,
      rank: r.rank,
      permissions: perms.filter((p) => p.roleKey === r.key && known.has(p.permission)).map((p) => p.permission as TPermission),
    }));
}

/** True when the context's role grants `permission`. */
export function can(ctx: Pick<TCtx, "permissions">, permission: TPermission): boolean {
  return ctx.permissions.has(permission);
}

/** Throws 403 unless the context's role grants `permission`; the first line of every write verb. */
export function requirePermission(ctx: Pick<TCtx, "permissions">, permission: TPermission): void {
  if (!ctx.permissions.has(permission)) throw forbidden(`This action needs the "${permission}" permission`, "permission_denied");
}
