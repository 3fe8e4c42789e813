import { randomBytes } from "node:crypto";

/** A URL slug from a display name; names without Latin letters or digits get a random one. */
export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return base.length >= 2 ? base : `org-${randomBytes(3).toString("hex")}`;
}
