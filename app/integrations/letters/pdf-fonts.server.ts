/**
 * The letter's typeface, embedded in every PDF: DejaVu Sans (a free licence that allows
 * embedding; covers Nordic letters, Sami characters and most of Europe), bundled by the npm
 * package `dejavu-fonts-ttf` so no system font is ever used. Read once per process.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type LetterFonts = { regular: Buffer; bold: Buffer };

let fonts: LetterFonts | undefined;

export function letterFonts(): LetterFonts {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    fonts = {
      regular: readFileSync(path.join(dir, "DejaVuSans.ttf")),
      bold: readFileSync(path.join(dir, "DejaVuSans-Bold.ttf")),
    };
  }
  return fonts;
}
