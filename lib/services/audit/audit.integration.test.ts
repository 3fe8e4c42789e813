import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, organization } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { ctxFor, makeOrg } from "@/test/fixtures";
import { updateOrganization } from "../organizations/update-organization";
import { findAuditLog } from "./find-audit-log";

describe("audit log", () => {
  it("a mutation and its audit row commit together or not at all", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    // Make the audit insert fail inside the same transaction: the rename must roll back with it.
    await expect(
      getDb().transaction(async (tx) => {
        await updateOrganization({ ctx: { ...owner, tx }, input: { name: "Renamed" } });
        await writeAudit(tx, owner, { organizationId: "no-such-org", action: "x", targetType: "x" });
      }),
    ).rejects.toThrow();
    const [org] = await getDb().select().from(organization).where(eq(organization.id, o.orgId));
    expect(org?.name).not.toBe("Renamed");
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.action, "organization.updated"));
    expect(rows.filter((r) => r.organizationId === o.orgId)).toHaveLength(0);
  });

  it("lists newest first with filters and a cursor, only for roles with audit.read, only the own tenant", async () => {
    const o = await makeOrg(["developer"]);
    const b = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    for (const name of ["A", "B", "C"]) await updateOrganization({ ctx: owner, input: { name } });
    const page1 = await findAuditLog({ ctx: owner, query: { action: "organization.updated", limit: 2 } });
    expect(page1.items.map((i) => i.after)).toEqual([{ name: "C" }, { name: "B" }]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await findAuditLog({ ctx: owner, query: { action: "organization.updated", limit: 2, cursor: page1.nextCursor! } });
    expect(page2.items.map((i) => i.after)).toEqual([{ name: "A" }]);
    expect(page2.nextCursor).toBeNull();
    const all = await findAuditLog({ ctx: owner, query: { limit: 200 } });
    expect(all.items.map((i) => i.action)).toEqual(expect.arrayContaining(["organization.created", "invitation.accepted"]));
    const other = await findAuditLog({ ctx: await ctxFor(b.owner, b.orgId), query: { limit: 200 } });
    expect(other.items.some((i) => i.targetId === o.orgId)).toBe(false);
    const future = await findAuditLog({ ctx: owner, query: { limit: 50, from: new Date(Date.now() + 60_000).toISOString() } });
    expect(future.items).toHaveLength(0);
    await expect(findAuditLog({ ctx: await ctxFor(o.members.developer!, o.orgId), query: { limit: 10 } })).rejects.toBeInstanceOf(AppError);
    await expect(findAuditLog({ ctx: owner, query: { limit: 10, cursor: "garbage" } })).rejects.toMatchObject({ code: "bad_request" });
  });
});
