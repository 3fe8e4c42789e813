// GET|PATCH /api/v1/me — the signed-in user, their organizations and UI language; signed-in users only.
import { eq } from "drizzle-orm";
import { cookies } from "next/headers";
import { user } from "@/db/schema";
import { apiHandler } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { findMyOrganizations } from "@/lib/services/organizations/find-my-organizations";
import { updateMyLocale } from "@/lib/services/users/update-my-locale";
import { LOCALE_COOKIE } from "@/i18n/config";
import { ZUpdateMe } from "@/lib/validation/users";

async function me(userId: string): Promise<unknown> {
  const [u] = await getDb().select().from(user).where(eq(user.id, userId));
  if (!u) throw notFound("User");
  const orgs = await findMyOrganizations({ userId });
  return { id: u.id, name: u.name, email: u.email, locale: u.locale, organizations: orgs.map(({ createdAt: _, ...o }) => o) };
}

export const GET = apiHandler(async (api) => me((await api.requireUser()).actor.id));

export const PATCH = apiHandler(async (api) => {
  const ctx = await api.requireUser();
  const input = await api.json(ZUpdateMe);
  await updateMyLocale({ userId: ctx.actor.id, locale: input.locale });
  (await cookies()).set(LOCALE_COOKIE, input.locale, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
  return me(ctx.actor.id);
});
