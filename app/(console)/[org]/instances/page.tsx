import { PlannedPage } from "@/components/planned/planned-page";

export default async function InstancesPage({ params }: { params: Promise<{ org: string }> }): Promise<React.JSX.Element> {
  return <PlannedPage org={(await params).org} pageKey="instances" />;
}
