import { MembersPage } from "@/components/members/members-page";

export default function Page(): React.JSX.Element {
  return <MembersPage />;
}
