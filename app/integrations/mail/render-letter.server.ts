import { buildLetterView } from "~/integrations/letters/letter-view.server";
import type { LetterContent } from "~/integrations/letters/letter-content";
import { renderLetterText } from "~/integrations/letters/letter-text.server";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A decision letter (an objection decided, a plan granted, help asked for, a claim sent to
 * enforcement) as mail: the letter's own words, as the printed letter and the PDF on the claim
 * page say them.
 */
export function renderLetterMail(letter: LetterContent) {
  const view = buildLetterView(letter);
  const text = renderLetterText(letter);
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escape(p).replaceAll("\n", "<br>")}</p>`)
    .join("\n");
  return {
    subject: view.title,
    text,
    html: `<!doctype html><html lang="${escape(view.lang)}"><body>${paragraphs}</body></html>`,
  };
}
