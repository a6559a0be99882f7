import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";
import { STOP_REASONS } from "~/domain/escalation";
import { HoldKind } from "~/generated/prisma/enums";
import { supportedLngs } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { heldText } from "./next-step-text";

type Tree = { [key: string]: string | Tree };

// NextStepText shows `next.<reason>` for whatever the engine stopped on; a reason without its
// sentence showed residents the key itself ("next.letter_on_its_way") while a letter was on its way.
describe("what happens next, when the engine takes no step", () => {
  for (const lng of supportedLngs) {
    it(`has a sentence for every reason the engine stops in ${lng}`, () => {
      const next = (resources[lng].common as unknown as Tree).next as Tree;
      const missing = STOP_REASONS.filter(
        (reason) => typeof next[reason] !== "string" || (next[reason] as string).trim() === "",
      );
      expect(missing).toEqual([]);
    });
  }
});

// A pause speaks of its own kind: a bill in a payment plan was told it was paused "until this has
// been dealt with", as if it were an objection, and the kind was repeated on a line of its own.
describe("what happens next, when collection is paused", () => {
  const tIn = (lng: (typeof supportedLngs)[number]) => {
    const i18n = createInstance();
    void i18n.init({
      resources,
      lng,
      ns: ["common"],
      defaultNS: "common",
      initImmediate: false,
    });
    return i18n.t;
  };
  const held = (holds: string[], resumesOn?: string) =>
    ({ kind: "stop", reason: "held", holds, ...(resumesOn ? { resumesOn } : {}) }) as const;
  const asIs = (iso: string) => iso;

  for (const lng of supportedLngs) {
    it(`has a sentence for every kind of pause in ${lng}`, () => {
      const heldBy = ((resources[lng].common as unknown as Tree).next as Tree).heldBy as Tree;
      const missing = Object.values(HoldKind).filter(
        (kind) => typeof heldBy?.[kind] !== "string" || (heldBy[kind] as string).trim() === "",
      );
      expect(missing).toEqual([]);
      // Each kind's own sentence, not the one for several pauses at once.
      const t = tIn(lng);
      const texts = Object.values(HoldKind).map((kind) => heldText(held([kind]), t, asIs));
      expect(new Set(texts).size).toBe(texts.length);
    });
  }

  it("says a plan's pause lasts while the resident pays by it, and what happens if it ends", () => {
    const text = heldText(held(["ACTIVE_PLAN"]), tIn("en"), asIs);
    expect(text).toContain("while you pay by your payment plan");
    expect(text).toContain("If the plan ends before everything is paid");
    expect(text).not.toMatch(/dealt with|objection/);
  });

  it("gives the last day of a pause that ends: the day before the engine resumes", () => {
    for (const lng of supportedLngs) {
      const text = heldText(held(["PAYMENT_PENDING"], "2026-12-10"), tIn(lng), asIs);
      expect(text).toContain("2026-12-09");
      expect(text).not.toContain("2026-12-10");
    }
    // Without an end, no date at all.
    expect(heldText(held(["DISPUTE"]), tIn("en"), asIs)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it("names every pause when there are several", () => {
    const t = tIn("en");
    const text = heldText(held(["DISPUTE", "ACTIVE_PLAN"], "2027-01-16"), t, asIs);
    expect(text).toContain(t("hold.DISPUTE"));
    expect(text).toContain(t("hold.ACTIVE_PLAN"));
    expect(text).toContain("2027-01-15");
  });
});
