import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { residentSessionStorage } from "~/infra/session.server";
import { action, loader } from "~/routes/letters";
import { contactPreferences } from "./contact-preferences.server";
import { changeEmailNotices } from "./email-consent.server";
import { sealAddress } from "./residents.server";

/*
 * A resident gives and withdraws consent to letters by email on their own page; a form that does
 * not parse is a 400 that says what to fix and changes nothing (no row, no event).
 */

const NOW = new Date("2026-11-22T23:30:00Z"); // already the 23rd in Stockholm
let residentId = "";
let cookie = "";

async function state() {
  const r = await db().resident.findUniqueOrThrow({ where: { id: residentId } });
  const events = await db().event.findMany({
    where: { residentId, type: { startsWith: "resident.email_consent" } },
    orderBy: { id: "asc" },
  });
  return { email: r.email, emailNotices: r.emailNotices, events: events.map((e) => e.type) };
}

function post(fields: Record<string, string>) {
  return action({
    request: new Request("http://localhost/letters", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
    params: {},
    context: { cspNonce: "" },
  });
}

beforeAll(async () => {
  const resident = await db().resident.create({
    data: {
      country: "SE",
      nationalIdCipher: "v1:test",
      nationalIdHash: `email-consent-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`,
      name: "Test Consent",
      language: "sv",
      addressCipher: sealAddress({
        lines: ["Storgatan 1"],
        postalCode: "111 22",
        city: "Stockholm",
        country: "SE",
      }),
    },
  });
  residentId = resident.id;
  const storage = residentSessionStorage();
  const session = await storage.getSession();
  session.set("residentId", residentId);
  session.set("name", resident.name);
  cookie = (await storage.commitSession(session)).split(";")[0]!;
});

afterAll(() => disconnectDb());

describe("letters by email", () => {
  it("refuses what is not an email address, says why, and changes nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ intent: "consent", email: "  " }, "email_required"],
      [{ intent: "consent" }, "email_required"],
      [{ intent: "consent", email: "not an address" }, "email_invalid"],
      [{ intent: "consent", email: "a@example.com\r\nBcc: b@example.com" }, "email_invalid"],
      [{ intent: "consent", email: `${"a".repeat(250)}@example.com` }, "email_too_long"],
      [{ intent: "subscribe", email: "a@example.com" }, "intent"],
      [{}, "intent"],
    ];
    for (const [fields, error] of cases) {
      expect(await changeEmailNotices(residentId, fields, NOW)).toEqual({ ok: false, error });
    }
    expect(await state()).toEqual({ email: null, emailNotices: false, events: [] });
  });

  it("records the consent at the address typed, dated today where the resident lives", async () => {
    const result = await changeEmailNotices(
      residentId,
      { intent: "consent", email: "  test.consent@example.com " },
      NOW,
    );
    expect(result).toEqual({ ok: true, done: "email-on" });
    const prefs = await contactPreferences(residentId);
    expect(prefs).toMatchObject({
      email: "test.consent@example.com",
      emailNotices: true,
      emailConsentOn: "2026-11-23",
    });
    expect(prefs.address?.city).toBe("Stockholm");
    expect((await state()).events).toEqual(["resident.email_consent_given"]);
  });

  it("withdraws it", async () => {
    expect(await changeEmailNotices(residentId, { intent: "withdraw" }, NOW)).toEqual({
      ok: true,
      done: "email-off",
    });
    expect(await state()).toMatchObject({
      emailNotices: false,
      events: ["resident.email_consent_given", "resident.email_consent_withdrawn"],
    });
  });
});

describe("the contact and letters page", () => {
  it("answers a bad form with 400 and the message, and a good one with a redirect", async () => {
    const bad = (await post({ intent: "consent", email: "nope" })) as unknown as {
      type: string;
      data: { error: string; email: string };
      init: { status: number };
    };
    expect(bad.init.status).toBe(400);
    expect(bad.data).toEqual({ error: "email_invalid", email: "nope" });
    const before = await state();

    const good = (await post({ intent: "consent", email: "page@example.com" })) as Response;
    expect(good.status).toBe(303);
    expect(good.headers.get("Location")).toBe("/letters?done=email-on#email-heading");
    expect((await state()).events.length).toBe(before.events.length + 1);

    const page = (await loader({
      request: new Request("http://localhost/letters?done=email-on", {
        headers: { Cookie: cookie },
      }),
      params: {},
      context: { cspNonce: "" },
    })) as Awaited<ReturnType<typeof loader>>;
    expect(page.done).toBe("email-on");
    expect(page.prefs).toMatchObject({ email: "page@example.com", emailNotices: true });
  });

  it("is not found for someone logged in without any bill", async () => {
    const storage = residentSessionStorage();
    const session = await storage.getSession();
    session.set("name", "No Bills");
    const noBills = (await storage.commitSession(session)).split(";")[0]!;
    const thrown = await loader({
      request: new Request("http://localhost/letters", { headers: { Cookie: noBills } }),
      params: {},
      context: { cspNonce: "" },
    }).catch((e: unknown) => e);
    expect((thrown as Response).status).toBe(404);
  });
});
