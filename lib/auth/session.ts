import { headers } from "next/headers";
import { cache } from "react";
import { getAuth } from "./auth";

export type TServerSession = { user: { id: string; email: string; name: string; locale: string | null } } | null;

/** The signed-in user for this request (deduplicated per render), or null. */
export const getServerSession = cache(async (): Promise<TServerSession> => {
  const s = await getAuth().api.getSession({ headers: await headers() });
  if (!s) return null;
  const u = s.user as typeof s.user & { locale?: string | null };
  return { user: { id: u.id, email: u.email, name: u.name, locale: u.locale ?? null } };
});
