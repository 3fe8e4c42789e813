// Built-in data, applied by `npm start` after migrations. Idempotent: safe on every start.
import { inArray } from "drizzle-orm";
import { role, rolePermission } from "@/db/schema";
import type { TDb } from "@/lib/db";
import { BUILT_IN_ROLE_SEED } from "./roles";

/** Writes the built-in roles and their permissions. */
export async function seed(db: TDb): Promise<void> {
  await db.transaction(async (tx) => {
    const keys = Object.keys(BUILT_IN_ROLE_SEED);
    for (const [key, r] of Object.entries(BUILT_IN_ROLE_SEED)) {
      await tx.insert(role).values({ key, rank: r.rank, builtIn: 1 }).onConflictDoUpdate({ target: role.key, set: { rank: r.rank } });
    }
    await tx.delete(rolePermission).where(inArray(rolePermission.roleKey, keys));
    await tx
      .insert(rolePermission)
      .values(Object.entries(BUILT_IN_ROLE_SEED).flatMap(([key, r]) => r.permissions.map((permission) => ({ roleKey: key, permission }))));
  });
}
