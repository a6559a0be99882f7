/**
 * What a national contact register says about how a person can be reached. Pure types: the
 * clients beside this file (KRR for Norway, FaR for Sweden) fill them in from the real APIs.
 */
export type MailboxProvider =
  "digipost" | "eboks" | "kivra" | "minmyndighetspost" | "fortnox" | "billo" | (string & {});

export type ContactRecord = {
  /** Canonical identity number, as asked for. */
  nationalId: string;
  /** Not in the register (or deleted from it): "unknown". */
  status: "active" | "unknown";
  /** Norway: KRR's `reservasjon: JA`. Sweden has no such register entry: always false. */
  reservedAgainstDigitalMail: boolean;
  /**
   * The digital mailbox the register names, when the person can receive from this sender now.
   * `address` is the person's address at the provider when the register gives one (KRR's
   * `postkasseadresse`); FaR gives none.
   */
  mailbox: { provider: MailboxProvider; address: string | null } | null;
  email: string | null;
  phone: string | null;
  /** Preferred language as the register spells it (KRR: nb, nn, en, se), or null. */
  language: string | null;
  /**
   * Why there is no mailbox although the person is known, in the register's own terms
   * (e.g. FaR "sender not accepted"), so the channel choice can record why.
   */
  note: string | null;
  /** Which register answered ("krr", "far"), for the record of why a channel was chosen. */
  register: string;
};

export interface ContactRegister {
  /**
   * Looks up several people at once (KRR and FaR take up to 1,000 per call; the clients split
   * larger lists). Every number asked for is in the answer; one the register does not know has
   * status "unknown". Throws ServiceUnavailableError (retry) or RequestRejectedError (do not).
   */
  lookup(nationalIds: readonly string[]): Promise<Map<string, ContactRecord>>;
}
