import { eq } from "drizzle-orm";
import { user } from "@/db/schema";
import { getDb, type TDbOrTx } from "@/lib/db";
import type { TLocale } from "@/lib/validation/users";

/**
 * Remembers the user's UI language. A personal preference, not tenant data: it is not written to any
 * organization's audit log.
 */
export async function updateMyLocale({ userId, locale, db = getDb() }: { userId: string; locale: TLocale; db?: TDbOrTx }): Promise<void> {
  await db.update(user).set({ locale, updatedAt: new Date() }).where(eq(user.id, userId));
}
