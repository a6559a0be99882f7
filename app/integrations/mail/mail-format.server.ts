/**
 * Turns a notice, already worded in the resident's language, into an HTML email and a plain-text
 * email that state the same facts. Every value is escaped here, at the one place where text
 * becomes markup, so no translation or claim field can inject anything.
 */

export type NoticeView = {
  lang: string;
  subject: string;
  title: string;
  creditor: string;
  sentOn: string;
  greeting: string;
  about: string;
  fee: string;
  due: { amountLabel: string; amount: string; deadlineLabel: string; deadline: string };
  madeUp: string;
  ways: {
    heading: string;
    pause: string;
    pay: { heading: string; bank: string; online: string };
    plan: { heading: string; body: string };
    object: { heading: string; body: string };
    link: string;
    linkText: string;
  };
  bankFacts: { label: string; value: string }[];
  claimUrl: string;
  consequence: { heading: string; body: string } | null;
  breakdown: {
    heading: string;
    caption: string;
    cols: { what: string; date: string; cause: string; basis: string; amount: string };
    rows: { what: string; date: string; cause: string; basis: string; amount: string }[];
    totalLabel: string;
    total: string;
  };
  closing: string[];
  signoff: string;
  footer: string;
};

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A link in a mail must never become `javascript:` or similar, whatever the claim data says. */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// Mail programs drop <style> blocks and external sheets, so styles are inline. Colours keep a
// contrast ratio above 7:1 on white; sizes are generous for readers with poor eyesight.
const FONT = "font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;";
const S = {
  body: `margin:0;padding:0;background:#eef1f4;${FONT}`,
  card: "max-width:640px;width:100%;background:#ffffff;border-collapse:collapse;",
  cell: `padding:24px;${FONT}font-size:17px;line-height:1.55;`,
  p: "margin:0 0 16px 0;",
  small: "margin:0 0 4px 0;font-size:15px;color:#3d3d3d;",
  h1: "margin:0 0 8px 0;font-size:26px;line-height:1.25;",
  h2: "margin:28px 0 12px 0;font-size:21px;line-height:1.3;",
  h3: "margin:20px 0 8px 0;font-size:18px;",
  due: "width:100%;border-collapse:collapse;background:#f3f6fa;border:2px solid #0b4f9c;margin:0 0 16px 0;",
  dueCell: "padding:12px 16px;font-size:17px;text-align:left;vertical-align:top;",
  big: "font-size:24px;font-weight:bold;",
  facts: "border-collapse:collapse;margin:0 0 12px 0;",
  factTh: "padding:4px 16px 4px 0;text-align:left;font-weight:normal;color:#3d3d3d;",
  factTd: "padding:4px 0;font-weight:bold;font-size:18px;letter-spacing:0.5px;",
  button:
    "display:inline-block;background:#0b4f9c;color:#ffffff;text-decoration:underline;font-weight:bold;padding:12px 20px;border-radius:4px;",
  table: "width:100%;border-collapse:collapse;font-size:15px;margin:0 0 16px 0;",
  caption: "text-align:left;font-weight:bold;padding:0 0 8px 0;",
  th: "text-align:left;vertical-align:top;padding:8px;border-bottom:2px solid #1a1a1a;",
  td: "text-align:left;vertical-align:top;padding:8px;border-bottom:1px solid #b8bec5;",
  num: "text-align:right;white-space:nowrap;",
  footer: "margin:24px 0 0 0;font-size:14px;color:#3d3d3d;",
};

const p = (text: string, style = S.p) => `<p style="${style}">${escapeHtml(text)}</p>`;

function breakdownHtml(b: NoticeView["breakdown"]): string {
  const c = b.cols;
  const head = [c.what, c.date, c.cause, c.basis]
    .map((h) => `<th scope="col" style="${S.th}">${escapeHtml(h)}</th>`)
    .join("");
  const rows = b.rows
    .map(
      (r) =>
        `<tr><th scope="row" style="${S.td}">${escapeHtml(r.what)}</th>` +
        `<td style="${S.td}">${escapeHtml(r.date)}</td>` +
        `<td style="${S.td}">${escapeHtml(r.cause)}</td>` +
        `<td style="${S.td}">${escapeHtml(r.basis)}</td>` +
        `<td style="${S.td}${S.num}">${escapeHtml(r.amount)}</td></tr>`,
    )
    .join("\n");
  return `<table style="${S.table}">
<caption style="${S.caption}">${escapeHtml(b.caption)}</caption>
<thead><tr>${head}<th scope="col" style="${S.th}${S.num}">${escapeHtml(c.amount)}</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row" colspan="4" style="${S.th}border-bottom:none;">${escapeHtml(b.totalLabel)}</th>
<td style="${S.th}${S.num}border-bottom:none;font-weight:bold;">${escapeHtml(b.total)}</td></tr></tfoot>
</table>`;
}

export function renderNoticeHtml(v: NoticeView): string {
  const href = safeHref(v.claimUrl);
  const link = href
    ? `<p style="${S.p}"><a href="${escapeHtml(href)}" style="${S.button}">${escapeHtml(v.ways.link)}</a></p>`
    : "";
  const facts = v.bankFacts
    .map(
      (f) =>
        `<tr><th scope="row" style="${S.factTh}">${escapeHtml(f.label)}</th><td style="${S.factTd}">${escapeHtml(f.value)}</td></tr>`,
    )
    .join("");
  return `<!DOCTYPE html>
<html lang="${escapeHtml(v.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(v.subject)}</title>
</head>
<body style="${S.body}">
<table role="presentation" width="100%" style="border-collapse:collapse;"><tr><td align="center" style="padding:16px 8px;">
<table role="presentation" style="${S.card}"><tr><td style="${S.cell}">
${p(v.creditor, S.small)}
<h1 style="${S.h1}">${escapeHtml(v.title)}</h1>
${p(v.sentOn, S.small)}
<div style="height:12px;"></div>
${p(v.greeting)}
${p(v.about)}
<table role="presentation" style="${S.due}"><tr>
<td style="${S.dueCell}">${escapeHtml(v.due.amountLabel)}<br><span style="${S.big}">${escapeHtml(v.due.amount)}</span></td>
<td style="${S.dueCell}">${escapeHtml(v.due.deadlineLabel)}<br><span style="${S.big}">${escapeHtml(v.due.deadline)}</span></td>
</tr></table>
${p(v.madeUp)}
${p(v.fee)}
<h2 style="${S.h2}">${escapeHtml(v.ways.heading)}</h2>
${p(v.ways.pause, `${S.p}font-weight:bold;`)}
<h3 style="${S.h3}">${escapeHtml(v.ways.pay.heading)}</h3>
${p(v.ways.pay.bank)}
<table role="presentation" style="${S.facts}">${facts}</table>
${p(v.ways.pay.online)}
<h3 style="${S.h3}">${escapeHtml(v.ways.plan.heading)}</h3>
${p(v.ways.plan.body)}
<h3 style="${S.h3}">${escapeHtml(v.ways.object.heading)}</h3>
${p(v.ways.object.body)}
${link}
${p(v.ways.linkText, S.small)}
${v.consequence ? `<h2 style="${S.h2}">${escapeHtml(v.consequence.heading)}</h2>\n${p(v.consequence.body)}` : ""}
<h2 style="${S.h2}">${escapeHtml(v.breakdown.heading)}</h2>
${breakdownHtml(v.breakdown)}
${v.closing.map((c) => p(c)).join("\n")}
<p style="${S.p}">${escapeHtml(v.signoff)}<br>${escapeHtml(v.creditor)}</p>
${p(v.footer, S.footer)}
</td></tr></table>
</td></tr></table>
</body>
</html>
`;
}

const heading = (text: string) => `${text}\n${"=".repeat(Math.min(text.length, 60))}`;

/** The same facts as the HTML, in an order that reads well in any mail program or a screen reader. */
export function renderNoticeText(v: NoticeView): string {
  const facts = v.bankFacts.map((f) => `  ${f.label}: ${f.value}`);
  const rows = v.breakdown.rows.flatMap((r) => [
    `- ${r.what}, ${r.date}: ${r.amount}`,
    ...[r.cause, r.basis].filter(Boolean).map((line) => `  ${line}`),
  ]);
  const blocks = [
    `${v.creditor}\n${heading(v.title)}\n${v.sentOn}`,
    v.greeting,
    v.about,
    `${v.due.amountLabel}: ${v.due.amount}\n${v.due.deadlineLabel}: ${v.due.deadline}`,
    v.madeUp,
    v.fee,
    `${heading(v.ways.heading)}\n${v.ways.pause}`,
    `${v.ways.pay.heading}\n${v.ways.pay.bank}\n${facts.join("\n")}\n${v.ways.pay.online}`,
    `${v.ways.plan.heading}\n${v.ways.plan.body}`,
    `${v.ways.object.heading}\n${v.ways.object.body}`,
    v.ways.linkText,
    ...(v.consequence ? [`${heading(v.consequence.heading)}\n${v.consequence.body}`] : []),
    `${heading(v.breakdown.heading)}\n${rows.join("\n")}\n\n${v.breakdown.totalLabel}: ${v.breakdown.total}`,
    ...v.closing,
    `${v.signoff}\n${v.creditor}`,
    `--\n${v.footer}`,
  ];
  return `${blocks.join("\n\n")}\n`;
}
