/**
 * Whose money a bank file's payment is, told from the account that received it. A bank file
 * names the receiving account: camt.054 its IBAN (or another scheme's id, such as a Bankgiro
 * number), BgMax the receiving bankgiro, Nets OCR giro the assignment's account. A creditor keeps
 * its account as residents see it on letters (`1503.27.46180`, `5402-8417`) and perhaps its IBAN
 * for payers abroad. Money that names no claim belongs to the one creditor whose account it
 * arrived on; when no creditor, or more than one, has that account, the file does not say.
 */

export type AccountHolder = {
  id: string;
  /** Merged into another creditor (decision 0107): its money is the other's now. */
  mergedIntoId: string | null;
  bankAccount: string;
  iban: string | null;
};

/** Leading zeros dropped: BgMax gives the bankgiro as a zero-padded number field. */
const digits = (d: string) => `digits:${d.replace(/^0+(?=\d)/, "")}`;

/**
 * The forms one account goes by, for comparison: its digits alone (`1503.27.46180`,
 * `15032746180` and a zero-padded `0015032746180` are one account), and for an IBAN the IBAN
 * itself and, for a Norwegian one, the domestic account number inside it (`NO93 8601 1117 947`
 * is account 8601.11.17947). A Swedish IBAN holds the bank's clearing and account number, not the
 * bankgiro, so it matches a creditor only through the IBAN kept on the creditor.
 */
export function accountForms(account: string): string[] {
  const compact = account.replace(/[\s.-]/g, "").toUpperCase();
  if (compact === "") return [];
  const iban = /^([A-Z]{2})\d{2}([A-Z0-9]+)$/.exec(compact);
  if (iban) {
    const forms = [`iban:${compact}`];
    if (iban[1] === "NO" && /^\d{11}$/.test(iban[2]!)) forms.push(digits(iban[2]!));
    return forms;
  }
  return /^\d+$/.test(compact) ? [digits(compact)] : [`other:${compact}`];
}

/**
 * A look-up from a receiving account to the creditor whose money it is (a merged creditor's
 * account leads to the creditor it was merged into), or null when no creditor or more than one
 * has it.
 */
export function accountOwners(
  holders: readonly AccountHolder[],
): (account?: string) => string | null {
  const owners = new Map<string, Set<string>>();
  for (const h of holders) {
    const owner = h.mergedIntoId ?? h.id;
    const forms = [...accountForms(h.bankAccount), ...(h.iban ? accountForms(h.iban) : [])];
    for (const form of forms) {
      const set = owners.get(form) ?? new Set<string>();
      set.add(owner);
      owners.set(form, set);
    }
  }
  return (account) => {
    if (!account) return null;
    const found = new Set<string>();
    for (const form of accountForms(account)) for (const o of owners.get(form) ?? []) found.add(o);
    return found.size === 1 ? [...found][0]! : null;
  };
}
