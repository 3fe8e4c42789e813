import { Suspense } from "react";
import { AuthForm } from "@/components/auth/auth-form";

export default function SignInPage(): React.JSX.Element {
  return (
    <Suspense>
      <AuthForm mode="sign-in" />
    </Suspense>
  );
}
