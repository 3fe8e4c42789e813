import { describe, expect, it } from "vitest";
import { ZSlug } from "@/lib/validation/organizations";
import { slugify } from "./slugify";

describe("slugify", () => {
  it("makes valid slugs from any name", () => {
    for (const name of ["Acme Platform", "  Ünïcödé  Team!! ", "平台团队", "a", "---", "x".repeat(100)]) {
      expect(ZSlug.safeParse(slugify(name)).success, name).toBe(true);
    }
    expect(slugify("Acme Platform")).toBe("acme-platform");
    expect(slugify("Ünïcödé Team")).toBe("unicode-team");
  });
});
