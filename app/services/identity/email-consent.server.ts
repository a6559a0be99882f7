import { z } from "zod/v4";
import { todayIn } from "~/domain/calendar-date";
import { db } from "~/infra/db.server";
import { giveEmailConsent, withdrawEmailConsent } from "./contact-preferences.server";

/*
 * The resident's own page about how their letters reach them: what is on file, and their consent
 * to notices by email, given at an address they type or withdrawn. A form that does not parse
 * changes nothing and says what to fix.
 */

const COUNTRY_ZONE = { SE: "Europe/Stockholm", NO: "Europe/Oslo" } as const;

export type EmailConsentError = "email_required" | "email_invalid" | "email_too_long" | "intent";

const EmailForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("consent"),
    email: z
      .string()
      .trim()
      .min(1, "email_required")
      .max(254, "email_too_long")
      .pipe(z.email("email_invalid")),
  }),
  z.object({ intent: z.literal("withdraw") }),
]);

export type EmailConsentResult =
  { ok: true; done: "email-on" | "email-off" } | { ok: false; error: EmailConsentError };

/** Parses the form (`intent`, `email`) and makes the change, dated today where the resident lives. */
export async function changeEmailNotices(
  residentId: string,
  fields: Record<string, unknown>,
  now: Date,
): Promise<EmailConsentResult> {
  const parsed = EmailForm.safeParse({
    intent: fields.intent,
    email: typeof fields.email === "string" ? fields.email : "",
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const error = (issue?.path[0] === "email" ? issue.message : "intent") as EmailConsentError;
    return { ok: false, error };
  }
  const resident = await db().resident.findUniqueOrThrow({
    where: { id: residentId },
    select: { country: true },
  });
  const on = todayIn(COUNTRY_ZONE[resident.country], now);
  const actor = `resident:${residentId}`;
  if (parsed.data.intent === "consent") {
    await giveEmailConsent(residentId, { email: parsed.data.email, on, actor });
    return { ok: true, done: "email-on" };
  }
  await withdrawEmailConsent(residentId, { on, actor });
  return { ok: true, done: "email-off" };
}
