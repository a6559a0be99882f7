/**
 * The letter's typeface, embedded in every PDF: DejaVu Sans (a free licence that allows
 * embedding; covers Nordic letters, Sami characters and most of Europe), bundled by the npm
 * package `dejavu-fonts-ttf` so no system font is ever used.
 *
 * Parsed once per process with fontkit (the font engine PDFKit itself uses) and handed to every
 * document: PDFKit would otherwise parse both fonts' tables for each letter, which was most of
 * the time a letter took. Each document still makes its own subset of the glyphs it uses.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { create } from "fontkit";

/** A parsed font as PDFKit accepts it (its types only name file sources). */
export type LetterFont = Buffer;
export type LetterFonts = { regular: LetterFont; bold: LetterFont };

let fonts: LetterFonts | undefined;

export function letterFonts(): LetterFonts {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    const parse = (file: string) =>
      create(readFileSync(path.join(dir, file))) as unknown as LetterFont;
    fonts = { regular: parse("DejaVuSans.ttf"), bold: parse("DejaVuSans-Bold.ttf") };
  }
  return fonts;
}
