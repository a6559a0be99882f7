import { expect, test, type Page } from "@playwright/test";
import { URI } from "otpauth";
import { expectNoAxeViolations, screenshot, staffSignIn } from "./support";

// An administrator's day: sign in, add a case worker (the one-time password and authenticator
// link are on the page once), and later disable them: their open session ends at once and they
// cannot sign in again. The administrator works with JavaScript off; the same page is checked
// for accessibility with it on.

const tag = Date.now().toString(36);

async function signIn(page: Page, email: string, password: string, code: string) {
  await page.goto("/staff/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("6-digit code from your authenticator app").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an administrator adds a case worker, then disables them", async ({ browser }) => {
  const adminContext = await browser.newContext({ locale: "en-GB", javaScriptEnabled: false });
  const admin = await adminContext.newPage();
  await staffSignIn(admin, "admin@elvdal.example");
  await admin
    .getByRole("navigation", { name: "Administration" })
    .getByRole("link", { name: "Staff administration" })
    .click();
  await expect(
    admin.getByRole("heading", { level: 1, name: "Staff administration" }),
  ).toBeVisible();
  // Elvdal's staff are listed; Västkust's are not the administrator's to see.
  const members = admin.getByTestId("staff-member");
  await expect(members.filter({ hasText: "agent@elvdal.example" })).toHaveCount(1);
  await expect(members.filter({ hasText: "agent@vastkust.example" })).toHaveCount(0);

  const email = `eva-${tag}@elvdal.example`;
  const name = `Eva Ek ${tag}`;
  await admin.getByLabel("Email address").fill(email);
  await admin.getByLabel("Name", { exact: true }).fill(name);
  await admin.getByLabel("Role", { exact: true }).selectOption({ label: "Agent" });
  await expect(admin.getByRole("checkbox", { name: "Elvdal kommune" })).toBeChecked();
  await admin.getByRole("button", { name: "Create account" }).click();

  const result = admin.getByTestId("admin-result");
  await expect(result).toContainText(`Account created for ${email}.`);
  await expect(result).toContainText("Shown only this once");
  const oneTimePassword = (await admin.getByTestId("one-time-password").textContent())!.trim();
  const otpauthUri = (await admin.getByTestId("otpauth-uri").textContent())!.trim();
  expect(oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Kravportal:.*issuer=Kravportal/);
  expect(admin.url()).not.toContain(oneTimePassword);
  expect(admin.url()).not.toContain(URI.parse(otpauthUri).secret.base32);
  const card = members.filter({ hasText: email });
  await expect(card.getByTestId("staff-status")).toHaveText("Must choose a new password");

  // The same page passes axe with JavaScript on (axe needs it), in the administrator's session.
  const axeContext = await browser.newContext({ locale: "en-GB" });
  await axeContext.addCookies(await adminContext.cookies());
  const axePage = await axeContext.newPage();
  await axePage.goto("/staff/admin");
  await expect(axePage.getByTestId("staff-member").first()).toBeVisible();
  await expectNoAxeViolations(axePage);
  await screenshot(admin, "staff-admin-created");
  await axeContext.close();

  // The new agent signs in with what was handed over and is asked for a password of their own.
  const totp = URI.parse(otpauthUri);
  const agent = await browser.newPage({ locale: "en-GB" });
  await signIn(agent, email, oneTimePassword, totp.generate());
  await expect(agent).toHaveURL(/\/staff\/password$/);

  await card.getByRole("button", { name: `Disable account (${name})` }).click();
  await expect(result).toContainText(`${email} is disabled and has been signed out everywhere.`);
  await expect(card.getByTestId("staff-status")).toHaveText("Disabled");
  await screenshot(admin, "staff-admin-disabled");
  await expect(card.getByRole("button", { name: `Enable account (${name})` })).toBeVisible();

  // Their open session is over, and a fresh, unused code does not let them back in.
  await agent.reload();
  await expect(agent).toHaveURL(/\/staff\/login/);
  await signIn(agent, email, oneTimePassword, totp.generate({ timestamp: Date.now() + 30_000 }));
  await expect(agent.getByRole("alert")).toContainText("Email, password or code was not accepted.");
  await expect(agent).toHaveURL(/\/staff\/login/);
  await adminContext.close();
});
