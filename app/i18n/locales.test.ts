import { describe, expect, it } from "vitest";
import { EVENT_TYPES, TIMELINE_EVENT_TYPES } from "~/domain/events";
import { LEGAL_BASIS_KEYS } from "~/domain/legal-basis";
import { NoticeKind } from "~/generated/prisma/enums";
import { LETTER_KINDS } from "~/integrations/letters/letter-content";
import { supportedLngs } from "./config";
import { resources } from "./resources.server";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

// i18next plural forms differ per language (sv/nb/nn/en all use _one/_other here); compare the base key.
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");
const placeholders = (text: string) =>
  [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

const NAMESPACES = ["common", "legal", "mail", "letter", "site"] as const;
type Namespace = (typeof NAMESPACES)[number];

function texts(lng: string, ns: Namespace): Tree | undefined {
  return (resources as unknown as Record<string, Partial<Record<Namespace, Tree>>>)[lng]?.[ns];
}

describe("translations", () => {
  it("has every namespace in every language, and no language the portal does not offer", () => {
    expect(Object.keys(resources).sort()).toEqual([...supportedLngs].sort());
    for (const lng of supportedLngs) {
      const present = NAMESPACES.filter((ns) => texts(lng, ns) !== undefined);
      expect(present, lng).toEqual([...NAMESPACES]);
    }
  });

  for (const ns of NAMESPACES) {
    const reference = flatten(resources.en[ns] as Tree);
    for (const lng of supportedLngs) {
      it(`${lng}/${ns} has the same keys and placeholders as en`, () => {
        const other = flatten(texts(lng, ns)!);
        expect([...new Set([...other.keys()].map(base))].sort()).toEqual(
          [...new Set([...reference.keys()].map(base))].sort(),
        );
        for (const [key, text] of reference) {
          const translated = other.get(key);
          if (translated === undefined) continue; // plural variants may differ
          expect(placeholders(translated), `${lng}:${ns}:${key}`).toEqual(placeholders(text));
          expect(translated.trim(), `${lng}:${ns}:${key} is empty`).not.toBe("");
        }
      });
    }
  }

  it("explains every legal basis the domain can cite, in every language", () => {
    for (const lng of supportedLngs) {
      const legal = flatten(resources[lng].legal as Tree);
      for (const key of LEGAL_BASIS_KEYS) expect(legal.has(key), `${lng}: legal.${key}`).toBe(true);
    }
  });

  it("tells every event in the catalogue to staff, and every timeline event to residents", () => {
    for (const lng of supportedLngs) {
      // The back office's texts are part of `common` on the server (resources.server.ts).
      const staff = flatten(resources[lng].common as Tree);
      const common = staff;
      for (const type of EVENT_TYPES)
        expect(staff.has(`staffEvent.${type}`), `${lng}: staffEvent.${type}`).toBe(true);
      for (const type of TIMELINE_EVENT_TYPES)
        expect(common.has(`event.${type}`), `${lng}: event.${type}`).toBe(true);
    }
  });

  it("names every kind of letter in words: to the resident, to staff, and in the letter itself", () => {
    // Every kind the database can hold is a kind the letters know.
    expect([...LETTER_KINDS].sort()).toEqual(Object.values(NoticeKind).sort());
    // Kinds whose word differs by country (Sweden's inkassokrav is Norway's inkassovarsel).
    const perCountry = (k: string) =>
      k === "COLLECTION_NOTICE" || k === "ENFORCEMENT_FILED" ? [`${k}_SE`, `${k}_NO`] : [k];
    for (const lng of supportedLngs) {
      const common = flatten(resources[lng].common as Tree);
      const letter = flatten(resources[lng].letter as Tree);
      for (const kind of LETTER_KINDS) {
        expect(common.has(`backoffice.letters.kind.${kind}`), `${lng}: staff ${kind}`).toBe(true);
        for (const k of perCountry(kind)) {
          expect(common.has(`letters.kind.${k}`), `${lng}: letters.kind.${k}`).toBe(true);
          expect(letter.has(`title.${k}`), `${lng}: title.${k}`).toBe(true);
          expect(letter.has(`intro.${k}`), `${lng}: intro.${k}`).toBe(true);
        }
      }
    }
  });

  it("writes no currency symbols or codes into texts: Intl formats money", () => {
    for (const lng of supportedLngs) {
      for (const ns of NAMESPACES) {
        for (const [key, text] of flatten(texts(lng, ns)!)) {
          expect(text, `${lng}:${ns}:${key}`).not.toMatch(/\d\s*(kr|SEK|NOK|€)|(kr|SEK|NOK)\s*\d/);
        }
      }
    }
  });
});
