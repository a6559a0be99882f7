import { describe, expect, it } from "vitest";
import { hasLeft, residentLetters, type PageNotice } from "./resident-letters";

const notice = (over: Partial<PageNotice>): PageNotice => ({
  id: "n",
  kind: "REMINDER",
  status: "PENDING",
  stepId: null,
  channel: null,
  dispatchedOn: null,
  deadline: null,
  deadlineDays: 14,
  ...over,
});

describe("a claim's letters as the resident reads them", () => {
  it("lists them newest first with their state, channel, day and deadline", () => {
    const letters = residentLetters(
      [
        notice({
          id: "a",
          status: "DELIVERED",
          channel: "DIGITAL_MAILBOX",
          dispatchedOn: "2026-06-03",
          deadline: "2026-06-17",
        }),
        notice({
          id: "b",
          kind: "COLLECTION_NOTICE",
          status: "DISPATCHED",
          channel: "PRINT",
          dispatchedOn: "2026-07-01",
          deadline: "2026-07-20",
        }),
        notice({ id: "c", kind: "PAYMENT_DEMAND", channel: "PRINT" }),
      ],
      "NO",
    );
    expect(letters.map((l) => [l.id, l.name, l.state, l.downloadable])).toEqual([
      ["c", "PAYMENT_DEMAND", "sending", false],
      ["b", "COLLECTION_NOTICE_NO", "sent", true],
      ["a", "REMINDER", "sent", true],
    ]);
    expect(letters[1]).toMatchObject({ channel: "PRINT", dispatchedOn: "2026-07-01" });
    expect(letters[1]!.deadline).toBe("2026-07-20");
  });

  it("names a collection notice and an enforcement letter by the creditor's country", () => {
    const [se] = residentLetters([notice({ kind: "COLLECTION_NOTICE" })], "SE");
    const [no] = residentLetters([notice({ kind: "ENFORCEMENT_FILED" })], "NO");
    expect([se!.name, no!.name]).toEqual(["COLLECTION_NOTICE_SE", "ENFORCEMENT_FILED_NO"]);
  });

  it("shows no deadline before the letter has left: it counts only from dispatch", () => {
    const [pending] = residentLetters([notice({ deadline: "2026-06-17" })], "SE");
    expect(pending!.deadline).toBeNull();
  });

  it("offers a failed letter as undelivered and not downloadable, a returned one as both", () => {
    const [resent, returned, failed] = residentLetters(
      [
        notice({ id: "f", status: "FAILED", channel: null }),
        notice({ id: "r", status: "RETURNED", channel: "PRINT", dispatchedOn: "2026-06-03" }),
        notice({ id: "s", status: "RESENT", channel: "PRINT", dispatchedOn: "2026-05-03" }),
      ],
      "SE",
    );
    expect(failed).toMatchObject({ state: "undelivered", returned: false, downloadable: false });
    expect(returned).toMatchObject({ state: "undelivered", returned: true, downloadable: true });
    expect(resent).toMatchObject({ state: "resent", downloadable: true });
  });

  it("marks a plan's letter that sits on another claim of the plan, so its failure is not told as this bill's stop", () => {
    const [mine, plans] = residentLetters(
      [
        notice({ id: "p", kind: "PLAN_GRANTED", status: "FAILED", elsewhere: true }),
        notice({ id: "m", kind: "PLAN_INSTALMENT_MISSED", status: "FAILED" }),
      ],
      "NO",
    );
    expect(plans).toMatchObject({ name: "PLAN_GRANTED", state: "undelivered", elsewhere: true });
    expect(mine).toMatchObject({ name: "PLAN_INSTALMENT_MISSED", elsewhere: false });
  });

  it("counts a letter as left only with a dispatch day and a status past PENDING", () => {
    expect(hasLeft({ status: "DISPATCHED", dispatchedOn: "2026-06-03" })).toBe(true);
    expect(hasLeft({ status: "RESENT", dispatchedOn: null })).toBe(false);
    expect(hasLeft({ status: "PENDING", dispatchedOn: "2026-06-03" })).toBe(false);
    expect(hasLeft({ status: "FAILED", dispatchedOn: "2026-06-03" })).toBe(false);
  });
});
