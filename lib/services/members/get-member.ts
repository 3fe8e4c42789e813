import { and, eq } from "drizzle-orm";
import { member, user } from "@/db/schema";
import type { TDbOrTx } from "@/lib/db";
import { notFound } from "@/lib/errors";

/** One member of an organization, with its user's name and email; 404 when it belongs elsewhere. */
export async function getMember(tx: TDbOrTx, organizationId: string, memberId: string): Promise<{ id: string; userId: string; role: string; email: string; name: string }> {
  const [row] = await tx
    .select({ id: member.id, userId: member.userId, role: member.role, email: user.email, name: user.name })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(member.id, memberId), eq(member.organizationId, organizationId)))
    .limit(1);
  if (!row) throw notFound("Member");
  return row;
}
