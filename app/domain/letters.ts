import { addDays, deadlineFrom, type Country, type IsoDate } from "./calendar-date";

/*
 * How a notice reaches a resident, and what counts from it. A fee and a deadline stand on a
 * written notice that actually left: the deadline counts from the day it was dispatched (plus
 * the policy's postal days for paper), and the fee it announces is owed from that day.
 */

export const CHANNELS = ["DIGITAL_MAILBOX", "EMAIL", "PRINT"] as const;
export type Channel = (typeof CHANNELS)[number];

/** What the contact register said of a resident (or nothing, where no register answered). */
export type ContactFacts = {
  register: string;
  status: "active" | "unknown";
  reservedAgainstDigitalMail: boolean;
  mailbox: { provider: string } | null;
};

export type ChannelChoice =
  | { channel: Channel; why: string }
  /** No way to reach the resident: the notice fails and goes to staff. */
  | { channel: null; why: string };

/**
 * The channel a notice goes by, and why: the resident's digital mailbox where the register names
 * one and they have not reserved themselves against digital mail; email where they consented to
 * notices by email; otherwise paper to their postal address. Staff may choose one for a re-send.
 */
export function chooseChannel(input: {
  contact: ContactFacts | null;
  /** Whether a digital mailbox service is configured for the resident's country. */
  mailboxService: boolean;
  emailConsent: boolean;
  email: string | null;
  hasAddress: boolean;
  /** Chosen by staff for a re-send. */
  forced?: Channel | null;
}): ChannelChoice {
  const { contact } = input;
  const canMailbox =
    input.mailboxService &&
    contact !== null &&
    contact.status === "active" &&
    !contact.reservedAgainstDigitalMail &&
    contact.mailbox !== null;
  const canEmail = input.emailConsent && !!input.email;
  if (input.forced) {
    const possible =
      input.forced === "DIGITAL_MAILBOX"
        ? canMailbox
        : input.forced === "EMAIL"
          ? canEmail
          : input.hasAddress;
    return possible
      ? { channel: input.forced, why: "chosen by staff" }
      : { channel: null, why: `chosen by staff, but not possible: ${reasonNot(input.forced)}` };
  }
  if (canMailbox)
    return {
      channel: "DIGITAL_MAILBOX",
      why: `${contact!.register}: ${contact!.mailbox!.provider}`,
    };
  if (canEmail) return { channel: "EMAIL", why: "email: the resident agreed to notices by email" };
  const why = !contact
    ? "no contact register answered"
    : contact.reservedAgainstDigitalMail
      ? `${contact.register}: reserved against digital mail`
      : `${contact.register}: no digital mailbox`;
  if (input.hasAddress) return { channel: "PRINT", why: `paper (${why})` };
  return {
    channel: null,
    why: `no way to reach the resident: ${why}, no email consent, no postal address`,
  };
}

function reasonNot(channel: Channel): string {
  if (channel === "DIGITAL_MAILBOX") return "no digital mailbox that can be used";
  if (channel === "EMAIL") return "no email address with consent to notices by email";
  return "no postal address";
}

/**
 * The last day to pay a notice gives: `deadlineDays` from the day it left, on paper from the day
 * it can be expected to arrive (dispatch plus postal days), moved to a bank day.
 */
export function dispatchDeadline(input: {
  dispatchedOn: IsoDate;
  deadlineDays: number;
  channel: Channel;
  postalDays: number;
  country: Country;
}): IsoDate {
  const from =
    input.channel === "PRINT" ? addDays(input.dispatchedOn, input.postalDays) : input.dispatchedOn;
  return deadlineFrom(from, input.deadlineDays, input.country);
}
