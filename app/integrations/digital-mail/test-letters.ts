// Test helpers for the mailbox clients: a small valid PDF (one empty A4 page, correct xref
// offsets) and a letter around it. The real letters come from the PDF renderer.
import { randomUUID } from "node:crypto";
import type { DigitalLetter, PostalAddress } from "./types";

export function minimalPdf(text = "Kravportal"): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>`,
  ];
  const stream = `% ${text.replace(/[^\x20-\x7e]/g, "?")}\n`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}endstream`);
  let body = "%PDF-1.7\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

export const ADDRESS: PostalAddress = {
  name: "Ingrid Johansen",
  lines: ["Storgata 1"],
  postalCode: "3400",
  postalArea: "LIER",
  country: "Norway",
};
export const RETURN_ADDRESS: PostalAddress = {
  name: "Elvdal kommune, kemneren",
  lines: ["Postboks 1"],
  postalCode: "2500",
  postalArea: "TYNSET",
  country: "Norway",
};

export function letter(
  recipientNationalId: string,
  over: Partial<DigitalLetter> = {},
): DigitalLetter {
  return {
    id: randomUUID(),
    recipientNationalId,
    title: "Betalingspåminnelse",
    language: "nb",
    pdf: minimalPdf(recipientNationalId),
    senderOrgNumber: "910077473",
    ...over,
  };
}
