// The tenancy story through the console only, in Chinese (the default locale): sign up, create an
// organization, invite a second person who signs up from the link and joins, change their role,
// remove them, protect the last owner, switch organizations, read the audit trail, switch language.
// The steps build on each other, so they run serially against two long-lived browser contexts.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { E2E_BASE_URL, createOrg, newOrgName, newUser, signIn, signUp, type TUser } from "./helpers";

test.describe.configure({ mode: "serial" });

const alice: TUser = newUser("Alice");
const bob: TUser = newUser("Bob");
const org = newOrgName("Acme");
const org2 = newOrgName("Second");

let aliceContext: BrowserContext;
let bobContext: BrowserContext;
let a: Page;
let b: Page;
let inviteLink: string;

async function openContext(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

function sidebar(page: Page) {
  // The header repeats the menu for small screens; on a desktop viewport only the sidebar is visible.
  return page.getByRole("navigation", { name: /^(主菜单|Main menu)$/ });
}

function toast(page: Page, type: "success" | "error") {
  return page.locator(`[data-sonner-toast][data-type="${type}"]`);
}

test.beforeAll(async ({ browser }) => {
  ({ context: aliceContext, page: a } = await openContext(browser));
  ({ context: bobContext, page: b } = await openContext(browser));
});

test.afterAll(async () => {
  await aliceContext?.close();
  await bobContext?.close();
});

test("a new user signs up, lands on onboarding and creates an organization", async () => {
  await signUp(a, alice, { path: "/sign-up" });
  // The form sends the new user to `/`, which redirects someone in no organization to onboarding.
  await expect(a).toHaveURL(/\/onboarding$/);
  await a.goto("/");
  await expect(a).toHaveURL(/\/onboarding$/);

  await createOrg(a, org);
  await expect(a.getByTestId("planned-page")).toBeVisible();
  await expect(a.getByTestId("org-switcher")).toContainText(org.name);
});

test("the owner invites a viewer and gets a link to send", async () => {
  await sidebar(a).getByRole("link", { name: "成员" }).click();
  await expect(a).toHaveURL(new RegExp(`/${org.slug}/members$`));
  await expect(a.getByTestId(`member-row-${alice.email}`)).toContainText("所有者");

  // With one member the empty state repeats the invite button; the header one comes first.
  await a.getByTestId("invite-button").first().click();
  const dialog = a.getByRole("dialog");
  await dialog.getByLabel("邮箱").fill(bob.email);
  await dialog.getByTestId("invite-role").click();
  await a.getByTestId("invite-role-viewer").click();
  await expect(dialog.getByTestId("invite-role")).toHaveText("只读成员");
  await dialog.getByRole("button", { name: "创建邀请" }).click();

  const link = dialog.getByTestId("invite-link");
  await expect(link).toHaveText(/\/invite\/[0-9a-f-]{36}$/);
  inviteLink = (await link.textContent())!.trim();
  expect(new URL(inviteLink).origin).toBe(E2E_BASE_URL);
  await dialog.getByRole("button", { name: "关闭" }).first().click();
  await expect(a.getByTestId(`invitation-row-${bob.email}`)).toContainText("只读成员");
});

test("the invitee signs up from the link and joins with the invited role", async () => {
  await b.goto(inviteLink);
  await expect(b.getByText(org.name)).toBeVisible();
  await b.getByRole("link", { name: "注册并接受" }).click();
  await expect(b).toHaveURL(/\/sign-up\?/);
  const url = new URL(b.url());
  expect(url.searchParams.get("next")).toBe(new URL(inviteLink).pathname);
  expect(url.searchParams.get("email")).toBe(bob.email);
  await expect(b.getByLabel("邮箱")).toHaveValue(bob.email);

  await signUp(b, bob);
  await expect(b).toHaveURL(new URL(inviteLink).pathname);
  await b.getByRole("button", { name: "接受并加入" }).click();
  await expect(b).toHaveURL(new RegExp(`/${org.slug}/dashboard$`));

  await sidebar(b).getByRole("link", { name: "成员" }).click();
  const row = b.getByTestId(`member-row-${bob.email}`);
  await expect(row).toContainText("只读成员");
  await expect(row).toContainText("你");
  // A viewer may read the member list but not manage it.
  await expect(b.getByTestId("members-table")).toBeVisible();
  await expect(b.getByTestId("invite-button")).toHaveCount(0);
  await expect(b.getByTestId(`role-select-${alice.email}`)).toHaveCount(0);
});

test("the owner changes the new member's role and it persists", async () => {
  await a.reload();
  await a.getByTestId(`role-select-${bob.email}`).click();
  await a.getByTestId("role-option-developer").click();
  await expect(toast(a, "success")).toContainText("角色已改为 开发者");

  await a.reload();
  await expect(a.getByTestId(`role-select-${bob.email}`)).toHaveText("开发者");
});

test("the owner removes the member, who then gets 404 on the organization's pages", async () => {
  await a.getByTestId(`remove-${bob.email}`).click();
  await a.getByTestId("confirm-action").click();
  await expect(toast(a, "success")).toContainText("成员已移除");
  await expect(a.getByTestId(`member-row-${bob.email}`)).toHaveCount(0);

  await b.reload();
  await expect(b.getByTestId("not-found")).toBeVisible();
  await expect(b.locator("body")).not.toContainText(org.name);
  await b.goto(`/${org.slug}/dashboard`);
  await expect(b.getByTestId("not-found")).toBeVisible();
});

test("the last owner cannot demote themselves", async () => {
  await a.getByTestId(`role-select-${alice.email}`).click();
  await a.getByTestId("role-option-admin").click();
  // The refusal is explained in the user's language, from the API's stable reason key.
  await expect(toast(a, "error")).toContainText("最后一位所有者不能被移除或降级");
  await expect(a.getByTestId(`remove-${alice.email}`)).toHaveCount(0);
  await expect(a.getByTestId(`role-select-${alice.email}`)).toHaveText("所有者");

  await a.reload();
  await expect(a.getByTestId(`role-select-${alice.email}`)).toHaveText("所有者");
});

test("the org switcher creates a second organization and switches back", async () => {
  await a.getByTestId("org-switcher").click();
  await a.getByRole("menuitem", { name: "创建组织" }).click();
  await expect(a).toHaveURL(/\/onboarding$/);
  await createOrg(a, org2);
  await expect(a.getByTestId("org-switcher")).toContainText(org2.name);

  await a.getByTestId("org-switcher").click();
  await a.getByTestId(`org-option-${org.slug}`).click();
  await expect(a).toHaveURL(new RegExp(`/${org.slug}/dashboard$`));
  await expect(a.getByTestId("org-switcher")).toContainText(org.name);

  // `/` remembers the organization used last.
  await a.goto("/");
  await expect(a).toHaveURL(new RegExp(`/${org.slug}/dashboard$`));
});

test("the audit log lists the role change and the removal, with a before/after diff", async () => {
  await sidebar(a).getByRole("link", { name: "操作审计" }).click();
  await expect(a).toHaveURL(new RegExp(`/${org.slug}/audit$`));
  const rows = a.getByTestId("audit-row");
  const roleChanged = rows.filter({ hasText: "member.role_changed" }).filter({ hasText: bob.email });
  const removed = rows.filter({ hasText: "member.removed" }).filter({ hasText: bob.email });
  await expect(roleChanged).toHaveCount(1);
  await expect(removed).toHaveCount(1);
  // The failed demotion changed nothing, so it left no trace.
  await expect(rows.filter({ hasText: "member.role_changed" })).toHaveCount(1);
  // The second organization's history stays in the second organization.
  await expect(rows.filter({ hasText: org2.slug })).toHaveCount(0);

  await roleChanged.click();
  await expect(roleChanged).toHaveAttribute("aria-expanded", "true");
  const diff = a.getByTestId("audit-diff");
  await expect(diff).toHaveCount(1);
  const roleLine = diff.locator("tbody tr", { hasText: "role" });
  await expect(roleLine).toContainText('"viewer"');
  await expect(roleLine).toContainText('"developer"');
});

test("the language choice switches the console to English and follows the user", async ({ browser }) => {
  await a.getByTestId("locale-switcher").click();
  await a.getByRole("menuitemradio", { name: "English" }).click();
  await expect(sidebar(a).getByRole("link", { name: "Members" })).toBeVisible();
  await expect(a.getByRole("heading", { level: 1 })).toHaveText("Audit log");

  await a.reload();
  await expect(sidebar(a).getByRole("link", { name: "Members" })).toBeVisible();

  await a.getByTestId("user-menu").click();
  await a.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(a).toHaveURL(/\/sign-in/);

  // A browser that has never seen the choice (no locale cookie) shows Chinese until sign-in; the
  // account then brings English with it.
  const { context: fresh, page } = await openContext(browser);
  try {
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
    await signIn(page, alice);
    await expect(page).toHaveURL(new RegExp(`/${org.slug}/dashboard$`));
    await expect(sidebar(page).getByRole("link", { name: "Members" })).toBeVisible();

    await page.getByTestId("locale-switcher").click();
    await page.getByRole("menuitemradio", { name: "简体中文" }).click();
    await expect(sidebar(page).getByRole("link", { name: "成员" })).toBeVisible();
    await page.reload();
    await expect(sidebar(page).getByRole("link", { name: "成员" })).toBeVisible();
  } finally {
    await fresh.close();
  }
});
