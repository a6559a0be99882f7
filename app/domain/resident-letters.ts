import type { IsoDate } from "./calendar-date";
import type { SnapshotNotice } from "./claim";

/*
 * A claim's letters as the resident reads them on the claim page: newest first, each with what it
 * is, where it stands in words (being sent, sent by a channel on a day, could not be delivered),
 * its deadline, and whether the letter itself can be downloaded. A letter can be downloaded once
 * it has left (it has a dispatch day): it is the letter that counted, dated that day. A letter
 * about a payment plan is written once, on the plan's first claim, and listed on every claim of
 * the plan (decision 0097): on the others it is `elsewhere`, and what happens to it (a letter
 * that did not arrive) does not hold up the claim whose page it is.
 */

export type LetterState =
  /** Written, waiting to leave (the next dispatch or the day's print batch). */
  | "sending"
  /** Left by its channel on `dispatchedOn` (and perhaps arrived). */
  | "sent"
  /** Could not be delivered, or came back: staff look into it; nothing happens until it is resent. */
  | "undelivered"
  /** Could not be delivered and was sent again (the newer letter in the list). */
  | "resent";

export type ResidentLetter = {
  id: string;
  /** The key of its name: the notice kind, per country where the name differs. */
  name: string;
  state: LetterState;
  channel: SnapshotNotice["channel"];
  dispatchedOn: IsoDate | null;
  deadline: IsoDate | null;
  /** Came back to us after it left (paper returned, a mailbox that bounced it). */
  returned: boolean;
  downloadable: boolean;
  /** A plan's letter that sits on another claim of the plan: it does not stop this one. */
  elsewhere: boolean;
};

/** A notice as the claim page lists it: its own, or a plan's letter on another of the plan's claims. */
export type PageNotice = SnapshotNotice & { elsewhere?: boolean };

/** The statuses of a notice that has left us: its letter exists as it was sent. */
export const LEFT_STATUSES: readonly SnapshotNotice["status"][] = [
  "DISPATCHED",
  "DELIVERED",
  "RETURNED",
  "RESENT",
];

/** Whether a notice's letter can be shown as it was sent: it left, on a known day. */
export function hasLeft(n: Pick<SnapshotNotice, "status" | "dispatchedOn">): boolean {
  return n.dispatchedOn !== null && LEFT_STATUSES.includes(n.status);
}

const PER_COUNTRY = new Set(["COLLECTION_NOTICE", "ENFORCEMENT_FILED"]);

const STATE: Record<SnapshotNotice["status"], LetterState> = {
  PENDING: "sending",
  DISPATCHED: "sent",
  DELIVERED: "sent",
  FAILED: "undelivered",
  RETURNED: "undelivered",
  RESENT: "resent",
};

/** The claim's letters for its page, newest first (the snapshot lists them oldest first). */
export function residentLetters(
  notices: readonly PageNotice[],
  country: "SE" | "NO",
): ResidentLetter[] {
  return [...notices].reverse().map((n) => ({
    id: n.id,
    name: PER_COUNTRY.has(n.kind) ? `${n.kind}_${country}` : n.kind,
    state: STATE[n.status],
    channel: n.channel,
    dispatchedOn: n.dispatchedOn,
    // A deadline counts only from dispatch: a letter that has not left has none yet.
    deadline: n.dispatchedOn ? n.deadline : null,
    returned: n.status === "RETURNED",
    downloadable: hasLeft(n),
    elsewhere: n.elsewhere ?? false,
  }));
}
