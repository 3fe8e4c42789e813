import { redirect } from "next/navigation";
import { CreateOrganizationForm } from "@/components/onboarding/create-organization-form";
import { getServerSession } from "@/lib/auth/session";

export default async function OnboardingPage(): Promise<React.JSX.Element> {
  if (!(await getServerSession())) redirect("/sign-in?next=/onboarding");
  return <CreateOrganizationForm />;
}
