"use client";
import { ShieldAlert } from "lucide-react";
import { useTranslations } from "next-intl";
import { EmptyState } from "@/components/ui/empty-state";

/** Shown to a member whose role lacks the permission a page needs. */
export function ForbiddenNotice(): React.JSX.Element {
  const t = useTranslations("common");
  return <EmptyState icon={<ShieldAlert />} title={t("forbidden")} data-testid="forbidden" />;
}
