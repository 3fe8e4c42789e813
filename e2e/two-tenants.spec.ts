// Two organizations side by side, seeded over HTTP: nothing of one is visible or reachable from the
// other, by console page, by org header (slug or id), by object id, or with the other's API key; and
// the API's guards (roles, authentication, CSRF, validation, revocation) answer as documented.
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import {
  E2E_BASE_URL,
  anonymousContext,
  apiAddMember,
  apiCreateKey,
  apiCreateOrg,
  apiInvite,
  apiMembers,
  apiSignUp,
  expectStatus,
  inOrg,
  newOrgName,
  newUser,
  useSessionOf,
  type TOrg,
} from "./helpers";

test.describe.configure({ mode: "serial" });

type TMethod = "get" | "post" | "patch" | "delete";

// Every /api/v1 operation this spec calls; `call` refuses any other, and the last test checks that
// the OpenAPI document describes each of them, so the list cannot drift from what was exercised.
const CALLED: ReadonlyArray<readonly [TMethod, string]> = [
  ["get", "/members"],
  ["patch", "/members/{memberId}"],
  ["get", "/invitations"],
  ["post", "/invitations"],
  ["delete", "/invitations/{invitationId}"],
  ["get", "/invitations/{invitationId}"],
  ["get", "/api-keys"],
  ["delete", "/api-keys/{apiKeyId}"],
  ["get", "/audit-log"],
  ["get", "/organization"],
  ["patch", "/organization"],
  ["get", "/roles"],
  // Made by the seeding helpers.
  ["post", "/organizations"],
  ["post", "/invitations/{invitationId}/accept"],
  ["post", "/api-keys"],
];

async function call(
  ctx: APIRequestContext,
  method: TMethod,
  template: string,
  opts: { params?: Record<string, string>; headers?: Record<string, string>; data?: unknown } = {},
): Promise<APIResponse> {
  if (!CALLED.some(([m, p]) => m === method && p === template)) throw new Error(`${method.toUpperCase()} ${template} is missing from CALLED`);
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(opts.params?.[name] ?? ""));
  return ctx.fetch(`/api/v1${path}`, { method, headers: opts.headers, data: opts.data });
}

/** An RFC 9457 answer with `status`; returns the parsed problem. */
async function expectProblem(res: APIResponse, status: number): Promise<{ status: number; code: string; requestId: string; errors?: { path: string }[] }> {
  await expectStatus(res, status);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  const body = await res.json();
  expect(body.status).toBe(status);
  expect(body.requestId).toBeTruthy();
  return body;
}

const ownerA = newUser("OwnerA");
const ownerB = newUser("OwnerB");
const viewerA = newUser("ViewerA");

let a: APIRequestContext;
let b: APIRequestContext;
let viewer: APIRequestContext;
let orgA: TOrg;
let orgB: TOrg;
let viewerMemberIdA: string;
let keyA: { id: string; key: string };
let keyB: { id: string; key: string };
let invitationIdA: string;
const pendingEmailA = newUser("PendingA").email;

test.beforeAll(async () => {
  a = await apiSignUp(ownerA);
  b = await apiSignUp(ownerB);
  orgA = await apiCreateOrg(a, newOrgName("TenantA"));
  orgB = await apiCreateOrg(b, newOrgName("TenantB"));
  viewer = await apiAddMember(a, orgA.slug, viewerA, "viewer");
  viewerMemberIdA = (await apiMembers(a, orgA.slug)).find((m) => m.email === viewerA.email)!.id;
  invitationIdA = (await apiInvite(a, orgA.slug, pendingEmailA, "developer")).id;
  keyA = await apiCreateKey(a, orgA.slug, "tenant-a-key", "admin");
  keyB = await apiCreateKey(b, orgB.slug, "tenant-b-key", "admin");
});

test.afterAll(async () => {
  await Promise.all([a, b, viewer].map((ctx) => ctx?.dispose()));
});

/** A's objects are all still there and unchanged (so a 404 above really refused, not missed). */
async function expectTenantAIntact(): Promise<void> {
  const members = await apiMembers(a, orgA.slug);
  expect(members.find((m) => m.id === viewerMemberIdA)?.role).toBe("viewer");
  const invitations = (await (await call(a, "get", "/invitations", { headers: inOrg(orgA.slug) })).json()) as { id: string }[];
  expect(invitations.map((i) => i.id)).toContain(invitationIdA);
  const keys = (await (await call(a, "get", "/api-keys", { headers: inOrg(orgA.slug) })).json()) as { id: string; revokedAt: string | null }[];
  expect(keys.find((k) => k.id === keyA.id)?.revokedAt).toBeNull();
}

test("another tenant's console pages answer 404 and reveal nothing", async ({ page }) => {
  await useSessionOf(page, b);
  const pages = ["dashboard", "instances", "templates", "code-packages", "access-logs", "members", "audit", "settings", "settings/api-keys"];
  for (const p of [...pages.map((p) => `/${orgA.slug}/${p}`), `/${orgA.id}/dashboard`]) {
    const res = await page.goto(p);
    expect(res?.status(), p).toBe(404);
    await expect(page.getByTestId("not-found"), p).toBeVisible();
    expect(await page.content(), p).not.toContain(orgA.name);
  }
  // The same session sees its own organization, so the 404s above are about tenancy, not the session.
  await page.goto(`/${orgB.slug}/members`);
  await expect(page.getByTestId(`member-row-${ownerB.email}`)).toBeVisible();
});

test("another tenant's API answers 404 problem+json, by slug and by id", async () => {
  for (const ref of [orgA.slug, orgA.id]) {
    for (const path of ["/members", "/invitations", "/api-keys", "/audit-log", "/organization", "/roles"]) {
      const res = await call(b, "get", path, { headers: { "x-organization": ref } });
      const problem = await expectProblem(res, 404);
      expect(problem.code).toBe("not_found");
      expect(await res.text()).not.toContain(orgA.name);
    }
  }
});

test("another tenant's objects answer 404 when addressed from one's own organization", async () => {
  const own = inOrg(orgB.slug);
  await expectProblem(await call(b, "patch", "/members/{memberId}", { params: { memberId: viewerMemberIdA }, headers: own, data: { role: "admin" } }), 404);
  await expectProblem(await call(b, "delete", "/api-keys/{apiKeyId}", { params: { apiKeyId: keyA.id }, headers: own }), 404);
  await expectProblem(await call(b, "delete", "/invitations/{invitationId}", { params: { invitationId: invitationIdA }, headers: own }), 404);
  await expectTenantAIntact();
});

test("another tenant's API key cannot reach the objects either", async () => {
  const bearer = await anonymousContext({ authorization: `Bearer ${keyB.key}` });
  try {
    // The key works in its own organization.
    const own = await call(bearer, "get", "/members");
    await expectStatus(own, 200);
    expect(((await own.json()) as { email: string }[]).map((m) => m.email)).toEqual([ownerB.email]);

    await expectProblem(await call(bearer, "patch", "/members/{memberId}", { params: { memberId: viewerMemberIdA }, data: { role: "admin" } }), 404);
    await expectProblem(await call(bearer, "delete", "/api-keys/{apiKeyId}", { params: { apiKeyId: keyA.id } }), 404);
    await expectProblem(await call(bearer, "delete", "/invitations/{invitationId}", { params: { invitationId: invitationIdA } }), 404);

    // Naming A's organization does not lend the key A's data: the key is bound to B, so A is "not found".
    const named = await call(bearer, "get", "/members", { headers: { "x-organization": orgA.slug } });
    await expectProblem(named, 404);
    expect(await named.text()).not.toContain(ownerA.email);
  } finally {
    await bearer.dispose();
  }
  await expectTenantAIntact();
});

test("a viewer cannot rename the organization or open the audit log", async ({ page }) => {
  await expectProblem(await call(viewer, "patch", "/organization", { headers: inOrg(orgA.slug), data: { name: "Renamed by a viewer" } }), 403);
  const org = (await (await call(viewer, "get", "/organization", { headers: inOrg(orgA.slug) })).json()) as { name: string; role: string };
  expect(org).toMatchObject({ name: orgA.name, role: "viewer" });

  await useSessionOf(page, viewer);
  await page.goto(`/${orgA.slug}/audit`);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("audit-table")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "操作审计" })).toHaveCount(0);
});

test("the API refuses anonymous, cross-site, malformed and invalid requests", async () => {
  const anon = await anonymousContext();
  try {
    const res = await call(anon, "get", "/members");
    await expectProblem(res, 401);
    expect(res.headers()["www-authenticate"]).toContain("Bearer");
  } finally {
    await anon.dispose();
  }

  const evil = await call(a, "post", "/invitations", {
    headers: { origin: "http://evil.test", "x-organization": orgA.slug },
    data: { email: newUser("Csrf").email, role: "admin" },
  });
  expect((await expectProblem(evil, 403)).code).toBe("forbidden");

  const malformed = await call(a, "post", "/invitations", {
    headers: { ...inOrg(orgA.slug), "content-type": "application/json" },
    // A Buffer is sent as is (a string would be JSON-encoded into a valid JSON string).
    data: Buffer.from('{"email": "x@e2e.test", "role":'),
  });
  expect((await expectProblem(malformed, 400)).code).toBe("bad_request");

  const invalid = await call(a, "post", "/invitations", { headers: inOrg(orgA.slug), data: { email: "not-an-email", role: "viewer" } });
  const problem = await expectProblem(invalid, 422);
  expect(problem.code).toBe("validation_failed");
  expect(problem.errors?.[0]?.path).toBe("email");

  // None of the refused requests created anything.
  const pending = (await (await call(a, "get", "/invitations", { headers: inOrg(orgA.slug) })).json()) as { email: string }[];
  expect(pending.map((i) => i.email)).toEqual([pendingEmailA]);
});

test("a revoked API key is refused with 401", async () => {
  const key = await apiCreateKey(a, orgA.slug, "short-lived", "viewer");
  const bearer = await anonymousContext({ authorization: `Bearer ${key.key}` });
  try {
    await expectStatus(await call(bearer, "get", "/members"), 200);
    await expectStatus(await call(a, "delete", "/api-keys/{apiKeyId}", { params: { apiKeyId: key.id }, headers: inOrg(orgA.slug) }), 204);
    const res = await call(bearer, "get", "/members");
    await expectProblem(res, 401);
    expect(res.headers()["www-authenticate"]).toContain("Bearer");
  } finally {
    await bearer.dispose();
  }
});

test("the invitation link can be read without signing in", async () => {
  const anon = await anonymousContext();
  try {
    const res = await call(anon, "get", "/invitations/{invitationId}", { params: { invitationId: invitationIdA } });
    await expectStatus(res, 200);
    expect(await res.json()).toMatchObject({ email: pendingEmailA, organizationName: orgA.name, role: "developer" });
  } finally {
    await anon.dispose();
  }
});

test("the OpenAPI document describes every operation this spec called", async () => {
  const anon = await anonymousContext();
  try {
    const res = await anon.get("/api/v1/openapi.json");
    await expectStatus(res, 200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>>; servers?: { url: string }[] };
    for (const [method, path] of CALLED) expect(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeTruthy();
    expect(doc.servers?.[0]?.url).toBe(`${E2E_BASE_URL}/api/v1`);
  } finally {
    await anon.dispose();
  }
});
