import { createInstance, type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { claimReasonText } from "~/components/claim-reason-text";
import { formatMoney, type Currency } from "~/domain/money";
import { CLAIM_REASON_CODES } from "~/domain/claim-reasons";
import { i18nOptions, intlLocale, supportedLngs, type Lang } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { norwegianIds } from "../../../server/test-support/claim-rows";
import type { ApiCaller } from "../identity/api-keys.server";
import { csvColumnOf } from "./claim-file.server";
import { checkClaim, type ClaimTypeInfo } from "./intake-check.server";

type Tree = { [key: string]: string | Tree };
const reasons = (lng: Lang) =>
  ((resources[lng].common as unknown as Tree).claimImports as Tree).reason as Tree;
const placeholders = (text: string) => [...text.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();

const caller: ApiCaller = {
  creditorId: "00000000-0000-4000-8000-000000000000",
  keyId: "",
  country: "NO",
  currency: "NOK",
  timeZone: "Europe/Oslo",
};
const claimTypes = new Map<string, ClaimTypeInfo>([
  ["water", { id: "t1", slug: "water", policy: { id: "p1", version: 1 } }],
  ["new", { id: "t2", slug: "new", policy: null }],
]);
const [goodId] = norwegianIds(1, 130_000);
const claim = {
  externalId: "INV-1",
  claimType: "water",
  resident: { nationalId: goodId!, name: "Ola Berg" },
  description: "Vann og avløp",
  currency: "NOK",
  principal: 125_000,
  issuedOn: "2026-11-01",
  dueOn: "2026-11-30",
};
const errorsOf = (body: unknown) => {
  const r = checkClaim(caller, body, claimTypes, "2026-12-06");
  if (r.ok) throw new Error("expected the claim to be refused");
  return r.errors;
};

describe("claim intake reasons", () => {
  it("has a text for every code in every language, naming the same figures", () => {
    for (const lng of supportedLngs) {
      const texts = reasons(lng);
      for (const code of [...CLAIM_REASON_CODES, "inColumn"]) {
        const keys = code in texts ? [code] : [`${code}_one`, `${code}_other`];
        for (const key of keys) {
          const text = texts[key];
          const english = reasons("en")[key];
          expect(typeof text === "string" && text.trim() !== "", `${lng}: ${key}`).toBe(true);
          expect(placeholders(text as string), `${lng}: ${key}`).toEqual(
            placeholders(english as string),
          );
        }
      }
      const base = Object.keys(texts).map((k) => k.replace(/_(one|other)$/, ""));
      expect([...new Set(base)].sort()).toEqual([...CLAIM_REASON_CODES, "inColumn"].sort());
    }
  });

  it("gives each refused field a code, keeping the API's English message", () => {
    const errors = errorsOf({
      ...claim,
      resident: { nationalId: "14876810184", name: "", extra: 1 },
      principal: 12.5,
      issuedOn: "2026-13-01",
      currency: "SEK",
      description: undefined,
    });
    expect(errors.map((e) => [e.path, e.code, e.params])).toEqual([
      ["resident.name", "too_short", { minimum: 1 }],
      ["resident", "unknown_fields", { keys: "extra" }],
      ["description", "missing", undefined],
      ["principal", "not_whole_minor_units", undefined],
      ["issuedOn", "bad_date", undefined],
    ]);
    expect(errors.find((e) => e.path === "issuedOn")!.message).toMatch(/^must be a calendar date/);
    expect(errorsOf({ ...claim, dueOn: "2026-10-01" }).map((e) => e.code)).toEqual([
      "due_before_issued",
    ]);
    const checked = errorsOf({
      ...claim,
      claimType: "new",
      currency: "SEK",
      resident: { ...claim.resident, nationalId: "14876810184" },
    });
    expect(checked.map((e) => [e.path, e.code, e.params])).toEqual([
      ["resident.nationalId", "invalid_national_id", { country: "NO" }],
      ["currency", "wrong_currency", { currency: "NOK" }],
      ["claimType", "claim_type_without_policy", undefined],
    ]);
    expect(checked[0]!.message).toMatch(/is not a valid Norwegian fødselsnummer/);
  });

  describe("in Norwegian", () => {
    const t: Partial<Record<Lang, TFunction>> = {};
    beforeAll(async () => {
      for (const lng of ["nb", "nn"] as const) {
        const i = createInstance();
        await i.init({ ...i18nOptions, resources, lng });
        t[lng] = i.getFixedT(lng, "common");
      }
    });
    const say = (lng: "nb" | "nn", body: unknown) =>
      errorsOf(body).map((e) =>
        claimReasonText(
          { field: csvColumnOf(e.path), code: e.code, ...(e.params ? { params: e.params } : {}) },
          t[lng]!,
          {
            money: (amount, currency) =>
              formatMoney({ amount, currency: currency as Currency }, intlLocale[lng]),
            date: (iso) => iso,
            country: (code) => new Intl.DisplayNames([intlLocale[lng]], { type: "region" }).of(code)!, // prettier-ignore
          },
          "NOK",
        ).replace(/\s/g, " "),
      );

    it("says what is wrong with each column in the staff member's words", () => {
      const body = {
        ...claim,
        principal: 0,
        resident: { ...claim.resident, nationalId: "14876810184" },
        dueOn: "31.12.2026",
      };
      expect(say("nb", body)).toEqual([
        "principal: må være minst 0,01 kr.",
        "dueOn: er ikke en dato skrevet som ÅÅÅÅ-MM-DD.",
      ]);
      expect(
        say("nb", { ...claim, resident: { ...claim.resident, nationalId: "14876810184" } }),
      ).toEqual(["nationalId: er ikke et gyldig identitetsnummer fra Norge."]);
      expect(say("nn", { ...claim, claimType: "gas", description: undefined })).toEqual([
        "description: manglar.",
      ]);
      expect(say("nn", { ...claim, claimType: "gas" })).toEqual([
        "claimType: er ikkje ein av kravtypane til kreditoren.",
      ]);
    });
  });
});
