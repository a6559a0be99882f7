// The staff work queues and what a page lists of each item (queues.server.ts reads them).

export const QUEUES = [
  "disputes",
  "information",
  "flags",
  "enforcement",
  "mismatches",
  "unmatched",
  "credits",
  "cardDisputes",
  "plans",
  "letters",
  "writeOffs",
] as const;
export type Queue = (typeof QUEUES)[number];

/**
 * A piece of an item's detail as the page shows it: text as stored (a claim's description, a
 * payer's name), a word of the staff vocabulary by its translation key, or a day.
 */
export type DetailPart = { text: string } | { key: string } | { date: string };

export type QueueItem = {
  id: string;
  claimId: string | null;
  /** Payment tasks open on their own page (/staff/tasks/:id). */
  taskId?: string;
  money?: { amount: number; currency: string } | null;
  title: string;
  /** Said in words instead of `title`, where the item has no name of its own. */
  titleKey?: string;
  detail: DetailPart[];
  /**
   * Why the item waits for a person, each a whole sentence of the staff vocabulary (translation
   * keys): the page lists them one by one, never joined into the detail's run of words.
   */
  reasons?: string[];
  since: Date;
  /** Where the item is handled, when that is not the claim's case page. */
  href?: string;
  /** A letter that did not arrive: what it was, how it went and why it did not arrive. */
  letter?: {
    residentName: string;
    kind: string;
    status: "FAILED" | "RETURNED";
    channel: string | null;
    reason: string | null;
  };
};
