import { LOCALES, type TLocale } from "@/lib/validation/users";

export const LOCALE_COOKIE = "mcpcan_locale";
export const DEFAULT_LOCALE: TLocale = "zh-CN";
export { LOCALES };

/** A supported locale or null. */
export function asLocale(value: string | null | undefined): TLocale | null {
  return (LOCALES as readonly string[]).includes(value ?? "") ? (value as TLocale) : null;
}
