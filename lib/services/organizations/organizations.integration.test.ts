import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { ctxFor, makeOrg, makeUser } from "@/test/fixtures";
import { createOrganization } from "./create-organization";
import { findMyOrganizations } from "./find-my-organizations";
import { getMembership } from "./get-membership";
import { updateOrganization } from "./update-organization";

describe("organizations", () => {
  it("the creator becomes owner; slugs are unique and reserved words refused", async () => {
    const u = await makeUser("creator");
    const org = await createOrganization({ ctx: u, input: { name: "Platform Team" } });
    expect(org.slug).toMatch(/^platform-team/);
    const m = await getMembership({ userId: u.actor.id, orgRef: org.slug });
    expect(m.role).toBe("owner");
    expect(m.permissions.has("members.manage")).toBe(true);
    await expect(createOrganization({ ctx: u, input: { name: "Other", slug: org.slug } })).rejects.toMatchObject({ code: "conflict" });
    await expect(createOrganization({ ctx: u, input: { name: "API", slug: "api" } })).rejects.toMatchObject({ code: "validation_failed" });
    const chinese = await createOrganization({ ctx: u, input: { name: "平台团队" } });
    expect(chinese.slug).toMatch(/^org-[0-9a-f]{6}$/);
    expect((await findMyOrganizations({ userId: u.actor.id })).map((o) => o.slug)).toEqual([org.slug, chinese.slug]);
  });

  it("a non-member resolving another tenant by id or slug gets 404", async () => {
    const a = await makeOrg();
    const outsider = await makeUser("outsider");
    for (const ref of [a.orgId, a.slug]) {
      await expect(getMembership({ userId: outsider.actor.id, orgRef: ref })).rejects.toMatchObject({ code: "not_found" });
    }
  });

  it("a viewer cannot rename the organization", async () => {
    const o = await makeOrg(["viewer"]);
    const viewer = await ctxFor(o.members.viewer!, o.orgId);
    await expect(updateOrganization({ ctx: viewer, input: { name: "Nope" } })).rejects.toBeInstanceOf(AppError);
  });
});
