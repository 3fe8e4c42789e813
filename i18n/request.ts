import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getServerSession } from "@/lib/auth/session";
import { asLocale, DEFAULT_LOCALE, LOCALE_COOKIE } from "./config";

// The language a signed-in user chose is remembered on their account and follows them to any
// browser; before sign-in the cookie (set by the switcher) decides; zh-CN is the default.
export default getRequestConfig(async () => {
  const session = await getServerSession().catch(() => null);
  const locale = asLocale(session?.user.locale) ?? asLocale((await cookies()).get(LOCALE_COOKIE)?.value) ?? DEFAULT_LOCALE;
  return { locale, messages: (await import(`../messages/${locale}.json`)).default };
});
