/**
 * The letter as plain text, from the same worded view as the PDF: for a screen reader or a
 * text-only channel, and the baseline bench/letters.ts measures the PDF against.
 */
import type { LetterContent } from "./letter-content";
import { buildLetterView, type Fact, type Table } from "./letter-view.server";

const facts = (list: Fact[]) => list.map((f) => (f.value ? `${f.label}: ${f.value}` : f.label));

function table(t: Table): string[] {
  return [
    t.heading.toUpperCase(),
    ...t.rows.flatMap((r) => [`- ${r.cells.join(" | ")}`, ...(r.note ? [`  ${r.note}`] : [])]),
    `${t.total.label}: ${t.total.value}`,
  ];
}

export function renderLetterText(content: LetterContent): string {
  const v = buildLetterView(content);
  const blocks: string[][] = [
    [v.senderName, ...facts(v.meta)],
    [v.returnAddress, "", ...v.recipientLines],
    [v.title.toUpperCase(), ...(v.about ? [v.about] : [])],
    [v.greeting, v.intro],
  ];
  if (v.message) blocks.push([v.message.heading.toUpperCase(), v.message.body]);
  if (v.due) blocks.push([v.due.heading.toUpperCase(), ...facts(v.due.facts), ...v.due.notes]);
  if (v.plan) blocks.push(table(v.plan));
  if (v.pay)
    blocks.push([
      v.pay.heading.toUpperCase(),
      v.pay.intro,
      ...facts(v.pay.facts),
      ...facts(v.pay.abroad),
      v.pay.online,
    ]);
  if (v.breakdown) blocks.push(table(v.breakdown));
  if (v.consequence) blocks.push([v.consequence.heading.toUpperCase(), v.consequence.body]);
  if (v.options) blocks.push([v.options.heading.toUpperCase(), ...v.options.paragraphs]);
  blocks.push([v.contact.heading.toUpperCase(), v.contact.intro, ...facts(v.contact.facts)]);
  blocks.push([...v.closing, v.signoff, v.senderName], [`-- ${v.footer}`]);
  return `${blocks.map((b) => b.join("\n")).join("\n\n")}\n`;
}
