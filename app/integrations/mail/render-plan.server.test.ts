import { describe, expect, it } from "vitest";
import { renderPlanMail, type PlanMailContent } from "./render-plan.server";

const content = (over: Partial<PlanMailContent> = {}): PlanMailContent => ({
  kind: "requested",
  language: "en",
  residentName: "Kari Nordmann",
  creditorName: "Elvdal kommune",
  currency: "NOK",
  sentOn: "2026-11-23",
  planUrl: "https://portal.example/plans/1",
  ...over,
});

describe("the plan request's receipt by email", () => {
  it("is worded in every language, with the plan's link", () => {
    for (const language of ["sv", "nb", "nn", "en"] as const) {
      const mail = renderPlanMail(content({ language }));
      expect(mail.subject, language).not.toMatch(/^plan\./);
      expect(mail.text, language).toContain("Elvdal kommune");
      expect(mail.text, language).toContain("https://portal.example/plans/1");
      expect(mail.html, language).toContain('href="https://portal.example/plans/1"');
    }
  });

  it("refuses a message of a kind that is a letter now, rather than send it with the wrong words", () => {
    const queuedBefore = { ...content(), kind: "granted" } as unknown as PlanMailContent;
    expect(() => renderPlanMail(queuedBefore)).toThrow(/is a letter now/);
  });
});
