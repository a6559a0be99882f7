// A rendering thread of bench/letters.ts: renders the letters it is asked for, as PDF or text.
import { parentPort } from "node:worker_threads";
import { renderLetterPdf, pdfPageCount } from "../app/integrations/letters/pdf.server.ts";
import { renderLetterText } from "../app/integrations/letters/letter-text.server.ts";
import { benchLetter, noticeId } from "./letters-data.ts";

type Request = { id: number; from: number; count: number; mode: "pdf" | "text" };

parentPort!.on("message", async (req: Request) => {
  const letters = [];
  const transfer: ArrayBuffer[] = [];
  for (let i = req.from; i < req.from + req.count; i++) {
    const content = benchLetter(i);
    const bytes =
      req.mode === "pdf" ? await renderLetterPdf(content) : Buffer.from(renderLetterText(content));
    const pages = req.mode === "pdf" ? await pdfPageCount(bytes) : 1;
    const copy = new Uint8Array(bytes).buffer; // a Buffer may share a pooled ArrayBuffer
    transfer.push(copy);
    letters.push({ noticeId: noticeId(i), bytes: copy, pages, recipient: content.recipient });
  }
  parentPort!.postMessage({ id: req.id, letters }, transfer);
});
