import { createInstance, type i18n } from "i18next";
import { describe, expect, it } from "vitest";
import { i18nOptions, supportedLngs } from "./config";
import { rememberPlainTexts } from "./plain-texts.server";
import { resources } from "./resources.server";

type Tree = { [key: string]: string | Tree };
const keys = (tree: Tree, prefix = ""): string[] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );

async function instance(lng: string): Promise<i18n> {
  const i = createInstance();
  await i.init({ ...i18nOptions, resources, lng });
  return i;
}

describe("remembered texts", () => {
  for (const lng of supportedLngs) {
    it(`${lng}: every key, plain or with options, twice, reads as i18next reads it`, async () => {
      const plain = await instance(lng);
      const remembered = rememberPlainTexts(await instance(lng));
      for (const ns of ["common", "legal"] as const) {
        const p = plain.getFixedT(lng, ns);
        const r = remembered.getFixedT(lng, ns);
        for (const key of keys(resources[lng][ns] as Tree)) {
          const base = key.replace(/_(zero|one|two|few|many|other)$/, "");
          for (let round = 0; round < 2; round++) {
            expect(r(base)).toBe(p(base));
            expect(r(base, { count: 1 })).toBe(p(base, { count: 1 }));
            expect(r(base, { count: 3, date: "x", currency: "SEK" })).toBe(
              p(base, { count: 3, date: "x", currency: "SEK" }),
            );
          }
        }
        // Another namespace's fixed t, and a missing key, are not mixed up.
        expect(remembered.getFixedT(lng, "legal")("layout.footer")).toBe(
          plain.getFixedT(lng, "legal")("layout.footer"),
        );
        expect(r("no.such.key")).toBe(p("no.such.key"));
      }
    });
  }
});
