/**
 * Sending a letter to a resident's digital mailbox, and hearing what became of it. Pure types:
 * eformidling.server.ts (Norway) and kivra.server.ts (Sweden) implement them.
 */
export type PostalAddress = {
  name: string;
  lines: string[]; // street lines, at most 4
  postalCode: string;
  postalArea: string;
  country: string; // e.g. "Norway", "Sweden"
};

export type DigitalLetter = {
  /**
   * Our id for this sending (the notice id, a UUID): the idempotency key. Sending the same id
   * again never makes a second letter; a re-sent notice needs a new id.
   */
  id: string;
  recipientNationalId: string;
  /** Shown in the mailbox's list; keep it short and free of personal or sensitive detail. */
  title: string;
  /** The letter's language: "nb", "nn", "sv", "en", … */
  language: string;
  /** The letter as PDF. The same bytes must be passed when a sending is retried (Kivra). */
  pdf: Uint8Array;
  /** The creditor's organisation number (NO: 9 digits; SE: 10 digits). */
  senderOrgNumber: string;
  /** A decision the resident has a right to hear of (NO: sent as "vedtak", not "info"). */
  isDecision?: boolean;
  /**
   * eFormidling only: where to print when the recipient has no digital mailbox or is reserved
   * (the integration point's print service). Without it such a recipient is unreachable.
   */
  print?: { recipient: PostalAddress; returnTo: PostalAddress } | null;
};

export type Dispatch = {
  /** The provider's id for this sending (eFormidling: messageId; Kivra: kivra-objkey). */
  providerMessageId: string;
  /** Where it went: "digipost", "eboks", "altinn", "print", "kivra", … */
  provider: string;
  /** When the provider accepted it: the day the notice counts as sent. */
  dispatchedAt: Date;
  /**
   * Set when the provider confirmed delivery in the same answer (Kivra: a 201 means the
   * content is in the recipient's mailbox). Null: delivery comes later as a receipt.
   */
  deliveredAt: Date | null;
};

export type ReceiptStatus = "delivered" | "read" | "printed" | "returned" | "failed";

export type Receipt = {
  providerMessageId: string;
  /** The DigitalLetter.id it is about. */
  letterId: string;
  status: ReceiptStatus;
  at: Date;
  /** The provider's own words (status name and description), for staff. */
  detail?: string;
};

export interface DigitalMailbox {
  readonly provider: string;
  /**
   * Sends the letter; idempotent per letter.id. Throws RecipientUnreachableError when the
   * recipient cannot get it this way (choose another channel), ServiceUnavailableError when it
   * should be tried again later, RequestRejectedError when the letter itself was refused.
   */
  send(letter: DigitalLetter): Promise<Dispatch>;
  /**
   * Receipts since `cursor` (null: from the beginning), polled. Store the returned cursor with
   * the receipts in one transaction; receipts may repeat (at least once), never go missing.
   * Providers without receipts (Kivra) return none and confirm delivery in the Dispatch.
   */
  receipts(cursor: string | null): Promise<{ receipts: Receipt[]; cursor: string | null }>;
}
