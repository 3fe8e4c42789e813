// Shared steps for the browser specs: the real forms for what a spec is about, HTTP for seeding.
import { randomBytes } from "node:crypto";
import { expect, request as playwrightRequest, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
import { E2E_BASE_URL } from "./run";

export { E2E_BASE_URL };

export type TUser = { name: string; email: string; password: string };
export type TOrg = { id: string; name: string; slug: string };

/** A short random suffix: tests share one database, so every name they create is unique. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/** A fresh user with a unique email (`<label>-<suffix>@e2e.test`). */
export function newUser(label: string): TUser {
  const suffix = uniqueSuffix();
  return { name: `${label} ${suffix}`, email: `${label.toLowerCase()}-${suffix}@e2e.test`, password: `pw-${suffix}-Secret1` };
}

/** A fresh organization name and slug (slug: lowercase, digits and dashes). */
export function newOrgName(label: string): { name: string; slug: string } {
  const suffix = uniqueSuffix();
  return { name: `${label} ${suffix}`, slug: `${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${suffix}` };
}

// --- browser ---------------------------------------------------------------------------------

/** Signs up through the /sign-up form (the page must show it, or `path` is opened first). */
export async function signUp(page: Page, user: TUser, opts: { path?: string } = {}): Promise<void> {
  if (opts.path !== undefined || !page.url().includes("/sign-up")) await page.goto(opts.path ?? "/sign-up");
  await page.getByLabel("姓名").or(page.getByLabel("Name")).fill(user.name);
  await page.getByLabel("邮箱").or(page.getByLabel("Email")).fill(user.email);
  await page.getByLabel("密码").or(page.getByLabel("Password")).fill(user.password);
  await page.getByRole("button", { name: /^(注册|Sign up)$/ }).click();
  await expect(page).not.toHaveURL(/\/sign-up/);
}

/** Signs in through the /sign-in form. */
export async function signIn(page: Page, user: Pick<TUser, "email" | "password">, opts: { path?: string } = {}): Promise<void> {
  if (opts.path !== undefined || !page.url().includes("/sign-in")) await page.goto(opts.path ?? "/sign-in");
  await page.getByLabel(/^(邮箱|Email)$/).fill(user.email);
  await page.getByLabel(/^(密码|Password)$/).fill(user.password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** Creates an organization through the /onboarding form (zh-CN labels) and waits for its dashboard. */
export async function createOrg(page: Page, org: { name: string; slug: string }): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith("/onboarding")) await page.goto("/onboarding");
  await page.getByLabel("组织名称").fill(org.name);
  await page.getByLabel("URL 标识").fill(org.slug);
  await page.getByRole("button", { name: "创建组织" }).click();
  await expect(page).toHaveURL(new RegExp(`/${org.slug}/dashboard$`));
}

// --- HTTP --------------------------------------------------------------------------------------

/** Headers every cookie-authenticated mutation needs: the console's own origin (CSRF guard). */
export const ORIGIN = { origin: E2E_BASE_URL } as const;

/** Fails with the response body in the message, which is what one wants to read when it fails. */
export async function expectStatus(res: APIResponse, status: number): Promise<void> {
  if (res.status() !== status) {
    throw new Error(`${res.url()}: expected HTTP ${status}, got ${res.status()}: ${await res.text()}`);
  }
}

/** A request context with no cookies and no credentials. */
export function anonymousContext(extraHTTPHeaders?: Record<string, string>): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders });
}

/** Signs a new user up over HTTP; the returned context carries the session cookie. */
export async function apiSignUp(user: TUser): Promise<APIRequestContext> {
  const ctx = await anonymousContext();
  const res = await ctx.post("/api/auth/sign-up/email", { headers: ORIGIN, data: { email: user.email, password: user.password, name: user.name } });
  await expectStatus(res, 200);
  return ctx;
}

/** Creates an organization as the context's user (who becomes its owner). */
export async function apiCreateOrg(ctx: APIRequestContext, org: { name: string; slug: string }): Promise<TOrg> {
  const res = await ctx.post("/api/v1/organizations", { headers: ORIGIN, data: org });
  await expectStatus(res, 201);
  const body = (await res.json()) as TOrg;
  return { id: body.id, name: body.name, slug: body.slug };
}

/** Headers for calls in an organization (slug or id) with a session cookie. */
export function inOrg(org: string): Record<string, string> {
  return { ...ORIGIN, "x-organization": org };
}

export type TCreatedInvitation = { id: string; email: string; role: string; link: string };

export async function apiInvite(ctx: APIRequestContext, orgSlug: string, email: string, role: string): Promise<TCreatedInvitation> {
  const res = await ctx.post("/api/v1/invitations", { headers: inOrg(orgSlug), data: { email, role } });
  await expectStatus(res, 201);
  return (await res.json()) as TCreatedInvitation;
}

export async function apiAccept(ctx: APIRequestContext, invitationId: string): Promise<{ slug: string; role: string }> {
  const res = await ctx.post(`/api/v1/invitations/${invitationId}/accept`, { headers: ORIGIN });
  await expectStatus(res, 200);
  return (await res.json()) as { slug: string; role: string };
}

/** Signs `user` up over HTTP and makes them a member of `org` with `role` (invitation + accept). */
export async function apiAddMember(owner: APIRequestContext, orgSlug: string, user: TUser, role: string): Promise<APIRequestContext> {
  const inv = await apiInvite(owner, orgSlug, user.email, role);
  const ctx = await apiSignUp(user);
  await apiAccept(ctx, inv.id);
  return ctx;
}

export type TMemberRow = { id: string; userId: string; email: string; role: string };

export async function apiMembers(ctx: APIRequestContext, orgSlug: string): Promise<TMemberRow[]> {
  const res = await ctx.get("/api/v1/members", { headers: inOrg(orgSlug) });
  await expectStatus(res, 200);
  return (await res.json()) as TMemberRow[];
}

export async function apiCreateKey(ctx: APIRequestContext, orgSlug: string, name: string, role: string): Promise<{ id: string; key: string }> {
  const res = await ctx.post("/api/v1/api-keys", { headers: inOrg(orgSlug), data: { name, role, expiresInDays: null } });
  await expectStatus(res, 201);
  const body = (await res.json()) as { id: string; key: string };
  expect(body.key).toBeTruthy();
  return { id: body.id, key: body.key };
}

/** Puts the context's session cookies into a browser page's context, i.e. "signs in over HTTP". */
export async function useSessionOf(page: Page, ctx: APIRequestContext): Promise<void> {
  const { cookies } = await ctx.storageState();
  await page.context().addCookies(cookies);
}
