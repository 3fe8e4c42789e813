import { Suspense } from "react";
import { AuthForm } from "@/components/auth/auth-form";

export default function SignUpPage(): React.JSX.Element {
  return (
    <Suspense>
      <AuthForm mode="sign-up" />
    </Suspense>
  );
}
