import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { residentSessionStorage } from "~/infra/session.server";
import { loader as letterPdfLoader } from "~/routes/claims.$claimId_.letters.$noticeId[.]pdf";
import { query } from "~/infra/sql.server";
import { formatters } from "~/integrations/letters/letter-format";
import { readPdf } from "~/integrations/letters/pdf-test-support";
import { seedDemo } from "../../../server/test-support/fixtures";
import { hashNationalId } from "../identity/residents.server";
import { letterOf, noticesForLetters } from "./letter-of.server";
import { asciiFileName, letterFileName, residentLetterPdf } from "./resident-letters.server";

/*
 * The letter a resident downloads is their own, has left, and is the letter that was sent: dated
 * its dispatch day with the deadline stored then, whatever day it is downloaded. The notices are
 * copies of a demo claim's letter made for this file (and removed after it).
 */

const made: string[] = [];
let astrid = "";
let lars = "";
let claimId = "";
let otherClaimId = "";

async function residentId(country: "SE" | "NO", nationalId: string) {
  const r = await db().resident.findUniqueOrThrow({
    where: { nationalIdHash: hashNationalId(country, nationalId) },
  });
  return r.id;
}

/** A copy of a claim notice of the claim, with the status and days given. */
async function copyNotice(status: string, dispatchedOn: string | null, deadline: string | null) {
  const [row] = await query<{ id: string }>(
    undefined,
    `INSERT INTO "Notice" (id, "claimId", kind, "sentOn", "deadlineDays", deadline, language,
                           status, channel, "channelReason", "dispatchedOn", content)
     SELECT gen_random_uuid(), n."claimId", n.kind, n."sentOn", n."deadlineDays", $3::date,
            n.language, $1::"NoticeStatus", 'PRINT', 'test', $2::date, n.content
     FROM "Notice" n
     WHERE n."claimId" = $4::uuid AND n.kind IN ('REMINDER', 'COLLECTION_NOTICE', 'PAYMENT_DEMAND')
     ORDER BY n."sentOn" LIMIT 1
     RETURNING id::text`,
    [status, dispatchedOn, deadline, claimId],
  );
  made.push(row!.id);
  return row!.id;
}

beforeAll(async () => {
  await seedDemo();
  astrid = await residentId("SE", "195403129827");
  lars = await residentId("SE", "198711029846");
  const claims = await db().claim.findMany({
    where: { residentId: astrid, notices: { some: { kind: "REMINDER" } } },
    orderBy: { externalId: "asc" },
  });
  claimId = claims[0]!.id;
  otherClaimId = (
    await db().claim.findFirstOrThrow({ where: { residentId: astrid, id: { not: claimId } } })
  ).id;
});

afterAll(async () => {
  await db().notice.deleteMany({ where: { id: { in: made } } });
  await disconnectDb();
});

describe("a resident downloads a letter", () => {
  it("gets the letter as it was sent: dated its dispatch day, with its stored deadline", async () => {
    const id = await copyNotice("DISPATCHED", "2026-03-02", "2026-03-20");
    const got = await residentLetterPdf(astrid, claimId, id);
    expect(got).not.toBeNull();
    const [notice] = await noticesForLetters(undefined, [id]);
    const f = formatters(letterOf(notice!));
    const { text } = await readPdf(got!.pdf);
    expect(text).toContain("Astrid Lindqvist");
    expect(text).toContain(f.date("2026-03-02"));
    expect(text).toContain(f.day("2026-03-20"));
    expect(got!.fileName).toMatch(new RegExp(`^.+ ${notice!.externalId} 2026-03-02\\.pdf$`));
  });

  it("gets a delivered, a returned and a resent letter too", async () => {
    for (const status of ["DELIVERED", "RETURNED", "RESENT"]) {
      const id = await copyNotice(status, "2026-03-02", "2026-03-20");
      expect(await residentLetterPdf(astrid, claimId, id), status).not.toBeNull();
    }
  });

  it("gets nothing for a letter that has not left, or failed before it left", async () => {
    const pending = await copyNotice("PENDING", null, null);
    const failed = await copyNotice("FAILED", null, null);
    expect(await residentLetterPdf(astrid, claimId, pending)).toBeNull();
    expect(await residentLetterPdf(astrid, claimId, failed)).toBeNull();
  });

  it("gets nothing for someone else's letter, another claim's, or a malformed id", async () => {
    const id = await copyNotice("DISPATCHED", "2026-03-02", "2026-03-20");
    expect(await residentLetterPdf(lars, claimId, id)).toBeNull();
    expect(await residentLetterPdf(astrid, otherClaimId, id)).toBeNull();
    expect(await residentLetterPdf(astrid, claimId, "not-a-uuid")).toBeNull();
    expect(await residentLetterPdf(astrid, "x", id)).toBeNull();
    expect(
      await residentLetterPdf(astrid, claimId, "00000000-0000-4000-8000-000000000000"),
    ).toBeNull();
  });
});

async function cookieOf(residentId: string, name: string) {
  const storage = residentSessionStorage();
  const session = await storage.getSession();
  session.set("residentId", residentId);
  session.set("name", name);
  return (await storage.commitSession(session)).split(";")[0]!;
}

async function download(residentId: string, name: string, claim: string, notice: string) {
  const path = `/claims/${claim}/letters/${notice}.pdf`;
  const request = new Request(`http://localhost${path}`, {
    headers: { Cookie: await cookieOf(residentId, name) },
  });
  return (await letterPdfLoader({
    request,
    params: { claimId: claim, noticeId: notice },
    context: { cspNonce: "" },
  })) as Response;
}

describe("the letter's download route", () => {
  it("sends the PDF as a private download with a readable name", async () => {
    const id = await copyNotice("DELIVERED", "2026-03-02", "2026-03-20");
    const res = await download(astrid, "Astrid Lindqvist", claimId, id);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const disposition = res.headers.get("Content-Disposition")!;
    expect(disposition).toMatch(/^attachment; filename="[A-Za-z0-9._-]+-2026-03-02\.pdf"; /);
    expect(disposition).toMatch(/filename\*=UTF-8''[^ ";]+%202026-03-02\.pdf$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(res.headers.get("Content-Length")).toBe(String(bytes.length));
  });

  it("answers 404, not 500, for someone else's, an unsent, a missing or a malformed letter", async () => {
    const sent = await copyNotice("DISPATCHED", "2026-03-02", "2026-03-20");
    const pending = await copyNotice("PENDING", null, null);
    const cases = [
      await download(lars, "Lars Nilsson", claimId, sent),
      await download(astrid, "Astrid Lindqvist", claimId, pending),
      await download(astrid, "Astrid Lindqvist", otherClaimId, sent),
      await download(astrid, "Astrid Lindqvist", claimId, "00000000-0000-4000-8000-000000000000"),
      await download(astrid, "Astrid Lindqvist", "../etc", "passwd"),
    ];
    for (const res of cases) {
      expect(res.status).toBe(404);
      expect(res.headers.get("Cache-Control")).toBe("private, no-store");
      expect(res.headers.get("Content-Type")).not.toBe("application/pdf");
    }
  });

  it("sends someone not logged in to log in first, and back to the letter after", async () => {
    const id = await copyNotice("DISPATCHED", "2026-03-02", "2026-03-20");
    const path = `/claims/${claimId}/letters/${id}.pdf`;
    const thrown = await letterPdfLoader({
      request: new Request(`http://localhost${path}`),
      params: { claimId, noticeId: id },
      context: { cspNonce: "" },
    }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(302);
    expect((thrown as Response).headers.get("Location")).toBe(
      `/?returnTo=${encodeURIComponent(path)}`,
    );
  });
});

describe("the letter's file name", () => {
  it("is the title, the bill's reference and the day, without troublesome characters", () => {
    expect(letterFileName("Påminnelse", "EK-2026-5001", "2026-06-03")).toBe(
      "Påminnelse EK-2026-5001 2026-06-03.pdf",
    );
    expect(letterFileName('A "quoted"/path\\name;\r\n', "R/1", "2026-06-03")).toBe(
      "A quoted path name R 1 2026-06-03.pdf",
    );
    expect(asciiFileName("Betalingsoppfordring – Søknad Ærlig 2026-06-03.pdf")).toBe(
      "Betalingsoppfordring-Soknad-AErlig-2026-06-03.pdf",
    );
  });
});
