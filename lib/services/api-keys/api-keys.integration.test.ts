import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKey, auditLog } from "@/db/schema";
import { getDb } from "@/lib/db";
import { codeOf, ctxFor, makeOrg } from "@/test/fixtures";
import { createApiKey } from "./create-api-key";
import { findApiKeys } from "./find-api-keys";
import { revokeApiKey } from "./revoke-api-key";
import { verifyApiKey } from "./verify-api-key";

describe("api keys", () => {
  it("a created key verifies to its organization and role; only its HMAC is stored", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const k = await createApiKey({ ctx: owner, input: { name: "ci", role: "developer", expiresInDays: null } });
    expect(k.key).toMatch(/^mcpcan_ak_[A-Za-z0-9_-]{43}$/);
    const [row] = await getDb().select().from(apiKey).where(eq(apiKey.id, k.id));
    expect(JSON.stringify(row)).not.toContain(k.key);
    expect(await verifyApiKey({ key: k.key })).toMatchObject({ id: k.id, organizationId: o.orgId, role: "developer" });
    expect(await verifyApiKey({ key: k.key.slice(0, -1) + (k.key.endsWith("A") ? "B" : "A") })).toBeNull();
    expect(await verifyApiKey({ key: "not-a-key" })).toBeNull();
  });

  it("revoked and expired keys stop verifying; revocation is audited", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const k = await createApiKey({ ctx: owner, input: { name: "short", role: "viewer", expiresInDays: 1 } });
    await revokeApiKey({ ctx: owner, apiKeyId: k.id });
    expect(await verifyApiKey({ key: k.key })).toBeNull();
    const k2 = await createApiKey({ ctx: owner, input: { name: "old", role: "viewer", expiresInDays: 1 } });
    await getDb().update(apiKey).set({ expiresAt: new Date(Date.now() - 1) }).where(eq(apiKey.id, k2.id));
    expect(await verifyApiKey({ key: k2.key })).toBeNull();
    const actions = (await getDb().select().from(auditLog).where(eq(auditLog.organizationId, o.orgId))).map((r) => r.action);
    expect(actions.filter((a) => a === "api_key.created")).toHaveLength(2);
    expect(actions).toContain("api_key.revoked");
  });

  it("nobody mints a key above their own role; developers and viewers cannot manage keys", async () => {
    const o = await makeOrg(["admin", "developer", "viewer"]);
    const admin = await ctxFor(o.members.admin!, o.orgId);
    expect(await codeOf(createApiKey({ ctx: admin, input: { name: "x", role: "owner", expiresInDays: null } }))).toBe("forbidden");
    expect(await codeOf(createApiKey({ ctx: admin, input: { name: "x", role: "admin", expiresInDays: null } }))).toBe("ok");
    for (const r of ["developer", "viewer"]) {
      const c = await ctxFor(o.members[r]!, o.orgId);
      expect(await codeOf(createApiKey({ ctx: c, input: { name: "x", role: "viewer", expiresInDays: null } }))).toBe("forbidden");
      expect(await codeOf(findApiKeys({ ctx: c }))).toBe("forbidden");
    }
  });

  it("another tenant's key answers 404 on revoke and is absent from the list", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const k = await createApiKey({ ctx: await ctxFor(a.owner, a.orgId), input: { name: "a", role: "viewer", expiresInDays: null } });
    const ownerB = await ctxFor(b.owner, b.orgId);
    expect(await codeOf(revokeApiKey({ ctx: ownerB, apiKeyId: k.id }))).toBe("not_found");
    expect((await findApiKeys({ ctx: ownerB })).map((x) => x.id)).not.toContain(k.id);
    expect(await verifyApiKey({ key: k.key })).not.toBeNull();
  });
});
