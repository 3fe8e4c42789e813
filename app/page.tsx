import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "@/lib/auth/session";
import { findMyOrganizations } from "@/lib/services/organizations/find-my-organizations";

import { LAST_ORG_COOKIE } from "@/lib/client/last-org";

/** `/`: back to the organization used last, or onboarding for someone in none. */
export default async function Home(): Promise<never> {
  const session = await getServerSession();
  if (!session) redirect("/sign-in");
  const orgs = await findMyOrganizations({ userId: session.user.id });
  if (orgs.length === 0) redirect("/onboarding");
  const last = (await cookies()).get(LAST_ORG_COOKIE)?.value;
  const target = orgs.find((o) => o.slug === last) ?? orgs[0]!;
  redirect(`/${target.slug}/dashboard`);
}
