// The letters bench/letters.ts renders: varied by index (both countries, every language and
// kind, 0–3 or 20 charge lines, some long names and addresses abroad), the same in every thread.
import { LETTER_KINDS, type LetterContent } from "../app/integrations/letters/letter-content.ts";
import { sampleLetter } from "../app/integrations/letters/sample-letters.ts";

const LANGUAGES = { SE: ["sv", "en"], NO: ["nb", "nn", "en"] } as const;

export function benchLetter(i: number): LetterContent {
  const country = i % 2 === 0 ? "SE" : "NO";
  const languages = LANGUAGES[country];
  return sampleLetter(country, {
    kind: LETTER_KINDS[Math.floor(i / 2) % LETTER_KINDS.length],
    language: languages[Math.floor(i / 2) % languages.length],
    lines: i % 10 === 9 ? 20 : i % 4,
    long: i % 7 === 3,
    seed: i % 1000,
  });
}

export const noticeId = (i: number) => `bench-${String(i).padStart(8, "0")}`;
