import { Suspense } from "react";
import { AuditPage } from "@/components/audit/audit-page";

export default function Page(): React.JSX.Element {
  return (
    <Suspense>
      <AuditPage />
    </Suspense>
  );
}
