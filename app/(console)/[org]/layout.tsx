import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { getServerSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { findMyOrganizations } from "@/lib/services/organizations/find-my-organizations";
import { getMembership, type TMembership } from "@/lib/services/organizations/get-membership";

/** Every console page sits in an organization the viewer belongs to; any other answers 404. */
export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }): Promise<React.JSX.Element> {
  const { org } = await params;
  const session = await getServerSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(`/${org}/dashboard`)}`);
  let m: TMembership;
  try {
    m = await getMembership({ userId: session.user.id, orgRef: org });
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  // Addressed by id: show the canonical slug URL.
  if (m.organization.slug !== org) redirect(`/${m.organization.slug}/dashboard`);
  const organizations = (await findMyOrganizations({ userId: session.user.id })).map(({ createdAt: _, ...o }) => o);
  return (
    <AppShell
      ctx={{
        organization: m.organization,
        role: m.role,
        permissions: [...m.permissions],
        user: { id: session.user.id, name: session.user.name, email: session.user.email },
        organizations,
      }}
    >
      {children}
    </AppShell>
  );
}
