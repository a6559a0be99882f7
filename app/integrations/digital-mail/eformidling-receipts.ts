/**
 * Reading eFormidling statuses as receipts. The integration point keeps every status of every
 * conversation in one table with a rising numeric id, served paged by `GET /api/statuses`
 * (Spring Data page: `content[]`, `last`, `number`). Other systems of the municipality (the
 * archive) share the integration point, so a status is ours only when its conversationId is the
 * one we derived from its messageId; that derivation also tells which kind of message it was,
 * which the status itself does not say (a print LEVERT is "printed", a digital one "delivered").
 *
 * Status names (ReceiptStatus.java) and what the DPI receipts behind them mean
 * (post-til-private MessageStatusMapper.java):
 *   OPPRETTET, SENDT, MOTTATT           created / handed on / received by the provider: no receipt
 *   LEVERT                              delivered to the mailbox, or accepted for printing
 *   LEST                                opened by the resident (åpningskvittering)
 *   FEIL                                failed; the returpostkvittering ("posten ikke har blitt
 *                                       levert til Mottaker") also arrives as FEIL: "returned"
 *   LEVETID_UTLOPT                      not sent before its time to live: failed
 */
import { z } from "zod/v4";
import type { Receipt, ReceiptStatus } from "./types";
import { readJson } from "../http/request.server";
import { uuidV5 } from "./uuid-v5";

export type MessageKind = "digital" | "digital_dpv" | "print";
const KINDS: MessageKind[] = ["digital", "digital_dpv", "print"];
// Kravportal's own namespace for conversation ids (a random UUID, fixed once).
const NAMESPACE = "8b0e3c1a-5f8e-4d0b-9d7e-2a6c4f1e9b37";
const PAGE_SIZE = 100;
const MAX_PAGES_PER_CALL = 20;

export function conversationIdFor(messageId: string, kind: MessageKind): string {
  return uuidV5(`${messageId.toLowerCase()}:${kind}`, NAMESPACE);
}

const Status = z.object({
  id: z.number(),
  status: z.string(),
  lastUpdate: z.string(),
  description: z.string().nullish(),
  rawReceipt: z.string().nullish(),
  messageId: z.string().nullish(),
  conversationId: z.string().nullish(),
});
const Page = z.object({ content: z.array(Status), last: z.boolean() });
type Status = z.infer<typeof Status>;

export function toReceipt(s: Status): Receipt | null {
  if (!s.messageId || !s.conversationId) return null;
  const kind = KINDS.find(
    (k) => conversationIdFor(s.messageId!, k) === s.conversationId?.toLowerCase(),
  );
  if (!kind) return null; // not sent by us
  const returned =
    /returpost/i.test(s.rawReceipt ?? "") ||
    /returpost|ikke har blitt levert/i.test(s.description ?? "");
  const status: ReceiptStatus | null =
    s.status === "LEVERT"
      ? kind === "print"
        ? "printed"
        : "delivered"
      : s.status === "LEST"
        ? "read"
        : s.status === "FEIL"
          ? returned
            ? "returned"
            : "failed"
          : s.status === "LEVETID_UTLOPT"
            ? "failed"
            : null;
  if (!status) return null;
  return {
    providerMessageId: s.messageId,
    letterId: s.messageId,
    status,
    at: new Date(s.lastUpdate),
    detail: s.description ? `${s.status}: ${s.description}` : s.status,
  };
}

/**
 * The cursor is "page:lastId": the page where reading stopped and the highest status id seen.
 * Pages only grow at the end while no status is deleted; if rows before our page disappear
 * (a conversation deleted through the API), its first id is above lastId and we step back.
 */
export async function receiptsFromStatuses(
  cursor: string | null,
  fetchPage: (page: number, size: number) => Promise<Response>,
  refuse: (response: Response) => Promise<Error>,
): Promise<{ receipts: Receipt[]; cursor: string | null }> {
  const [pageText, lastText] = (cursor ?? "0:0").split(":");
  let page = Math.max(0, Number(pageText) || 0);
  let lastId = Math.max(0, Number(lastText) || 0);
  const receipts: Receipt[] = [];
  for (let read = 0; read < MAX_PAGES_PER_CALL; read++) {
    const response = await fetchPage(page, PAGE_SIZE);
    if (!response.ok) throw await refuse(response);
    const { content, last } = await readJson(response, Page, "eformidling");
    if (read === 0 && page > 0 && (content.length === 0 || content[0]!.id > lastId)) {
      page -= 1; // rows vanished before us: re-read the page before, ids above lastId only
      continue;
    }
    for (const s of content) {
      if (s.id <= lastId) continue;
      lastId = s.id;
      const receipt = toReceipt(s);
      if (receipt) receipts.push(receipt);
    }
    if (last || content.length < PAGE_SIZE) break;
    page += 1;
  }
  return { receipts, cursor: `${page}:${lastId}` };
}
