import type { ContactFacts } from "~/domain/letters";
import type { ContactRecord, ContactRegister } from "~/integrations/contact-register/types";
import {
  letterIntegrations,
  type LetterIntegrations,
} from "~/integrations/digital-mail/configured.server";
import type { DigitalMailbox } from "~/integrations/digital-mail/types";
import type { Conn } from "~/infra/db.server";
import { log } from "~/infra/log.server";
import { query } from "~/infra/sql.server";

/*
 * What the national contact registers say of residents (KRR in Norway, FaR in Sweden), kept a
 * day in `ContactRecord` so one sweep's letters need one look-up per resident. A register that
 * cannot be reached is survived: the residents it would have answered for are looked up again on
 * the next round, and their letters wait (a letter goes by the register's word or not at all
 * until the register answers, so nobody reserved against digital mail gets one by mistake).
 */

const FRESH_HOURS = 24;

export type ResidentForLetters = {
  id: string;
  country: "SE" | "NO";
  nationalId: string;
  /** The creditor's organisation number (Sweden's FaR answers per sender). */
  senderOrgNumber: string | null;
};

export function registerFor(
  integrations: LetterIntegrations,
  resident: Pick<ResidentForLetters, "country" | "senderOrgNumber">,
): ContactRegister | null {
  if (resident.country === "NO") return integrations.krr;
  if (integrations.far && resident.senderOrgNumber)
    return integrations.far(resident.senderOrgNumber);
  return null;
}

export function mailboxFor(
  integrations: LetterIntegrations,
  country: "SE" | "NO",
): DigitalMailbox | null {
  return country === "NO" ? integrations.eformidling : integrations.kivra;
}

const facts = (r: {
  register: string;
  status: string;
  reserved: boolean;
  mailbox: string | null;
}): ContactFacts => ({
  register: r.register,
  status: r.status === "active" ? "active" : "unknown",
  reservedAgainstDigitalMail: r.reserved,
  mailbox: r.mailbox ? { provider: r.mailbox } : null,
});

/**
 * Contact facts for residents: from the day's cache, else from their country's register (and
 * cached). A resident whose country has no register configured gets `null` (no register: paper
 * or email); one whose register did not answer is left out of the map (ask again later).
 */
export async function contactFacts(
  conn: Conn | undefined,
  residents: ResidentForLetters[],
  integrations: LetterIntegrations = letterIntegrations(),
): Promise<Map<string, ContactFacts | null>> {
  const out = new Map<string, ContactFacts | null>();
  if (residents.length === 0) return out;
  const cached = await query<{
    residentId: string;
    register: string;
    status: string;
    reserved: boolean;
    mailbox: string | null;
  }>(
    conn,
    `SELECT "residentId"::text, register, status, reserved, mailbox FROM "ContactRecord"
     WHERE "residentId" = ANY($1::uuid[]) AND "checkedAt" > now() - make_interval(hours => $2)`,
    [residents.map((r) => r.id), FRESH_HOURS],
  );
  for (const c of cached) out.set(c.residentId, facts(c));
  const byRegister = new Map<ContactRegister, ResidentForLetters[]>();
  for (const r of residents) {
    if (out.has(r.id)) continue;
    const register = registerFor(integrations, r);
    if (!register) {
      out.set(r.id, null);
      continue;
    }
    byRegister.set(register, [...(byRegister.get(register) ?? []), r]);
  }
  for (const [register, asked] of byRegister) {
    let answers: Map<string, ContactRecord>;
    try {
      answers = await register.lookup(asked.map((r) => r.nationalId));
    } catch (error) {
      log.warn("contact register did not answer; letters wait", {
        residents: asked.length,
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    const rows = asked.flatMap((r) => {
      const a = answers.get(r.nationalId);
      if (!a) return [];
      const row = {
        residentId: r.id,
        register: a.register,
        status: a.status,
        reserved: a.reservedAgainstDigitalMail,
        mailbox: a.mailbox?.provider ?? null,
        mailboxAddress: a.mailbox?.address ?? null,
        email: a.email,
        language: a.language,
        note: a.note,
      };
      out.set(r.id, facts(row));
      return [row];
    });
    await query(
      conn,
      `INSERT INTO "ContactRecord" ("residentId", register, status, reserved, mailbox,
                                    "mailboxAddress", email, language, note, "checkedAt")
       SELECT "residentId", register, status, reserved, mailbox, "mailboxAddress", email, language,
              note, now()
       FROM jsonb_to_recordset($1::jsonb) AS v("residentId" uuid, register text, status text,
         reserved boolean, mailbox text, "mailboxAddress" text, email text, language text, note text)
       ON CONFLICT ("residentId") DO UPDATE SET register = EXCLUDED.register,
         status = EXCLUDED.status, reserved = EXCLUDED.reserved, mailbox = EXCLUDED.mailbox,
         "mailboxAddress" = EXCLUDED."mailboxAddress", email = EXCLUDED.email,
         language = EXCLUDED.language, note = EXCLUDED.note, "checkedAt" = now()`,
      [JSON.stringify(rows)],
    );
  }
  return out;
}
