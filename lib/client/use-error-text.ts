"use client";
import { useTranslations } from "next-intl";
import { ApiError } from "./api";

/**
 * Server errors in the user's language: the API sends stable `reason` and `code` keys next to its
 * English detail; the detail is the fallback only for causes the message files do not know yet.
 */
export function useErrorText(): { message: (err: unknown) => string; field: (err: unknown, path: string) => string | undefined } {
  const t = useTranslations("errors");
  const message = (err: unknown): string => {
    if (!(err instanceof Error)) return t("generic");
    if (!(err instanceof ApiError)) return t("network");
    if (err.reason && t.has(`reasons.${err.reason}`)) return t(`reasons.${err.reason}`);
    if (t.has(`codes.${err.code}`)) return t(`codes.${err.code}`);
    return err.message;
  };
  const field = (err: unknown, path: string): string | undefined => {
    if (!(err instanceof ApiError)) return undefined;
    const f = err.errors.find((e) => e.path === path);
    if (!f) return undefined;
    if (f.reason && t.has(`fields.${path}.${f.reason}`)) return t(`fields.${path}.${f.reason}`);
    if (f.reason && t.has(`reasons.${f.reason}`)) return t(`reasons.${f.reason}`);
    if (f.reason && t.has(`fieldCodes.${f.reason}`)) return t(`fieldCodes.${f.reason}`);
    return f.message;
  };
  return { message, field };
}
