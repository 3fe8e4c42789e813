import { z } from "zod";

export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "At least 2 characters")
  .max(48, "At most 48 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Lowercase letters, digits and dashes; no dash at either end");

/** Slugs that would collide with console routes. */
export const RESERVED_SLUGS = new Set(["api", "sign-in", "sign-up", "invite", "onboarding", "_next", "settings", "admin", "static", "public", "healthz"]);

export const ZCreateOrganization = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(80),
    slug: ZSlug.optional(),
  })
  .meta({ id: "CreateOrganization" });
export type TCreateOrganization = z.infer<typeof ZCreateOrganization>;

export const ZUpdateOrganization = z.object({ name: z.string().trim().min(1).max(80) }).meta({ id: "UpdateOrganization" });
export type TUpdateOrganization = z.infer<typeof ZUpdateOrganization>;

export const ZOrganization = z
  .object({ id: z.string(), name: z.string(), slug: z.string(), role: z.string(), createdAt: z.string() })
  .meta({ id: "Organization" });
