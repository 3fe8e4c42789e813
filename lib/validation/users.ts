import { z } from "zod";

export const LOCALES = ["zh-CN", "en"] as const;
export type TLocale = (typeof LOCALES)[number];
export const ZLocale = z.enum(LOCALES);

export const ZUpdateMe = z.object({ locale: ZLocale }).meta({ id: "UpdateMe" });
export type TUpdateMe = z.infer<typeof ZUpdateMe>;

export const ZMe = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    locale: ZLocale.nullable(),
    organizations: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string(), role: z.string() })),
  })
  .meta({ id: "Me" });
