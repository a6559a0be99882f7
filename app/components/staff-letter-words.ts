import { useTranslation } from "react-i18next";

/*
 * A letter in words for staff: its kind, its status and channel, and why it did not arrive.
 * The engine records its own reasons in English (they are the log's); the common ones are told
 * here in the staff member's language, with the details after. A reason a person wrote (a
 * returned letter) is shown as they wrote it.
 */

const SYSTEM_REASONS: [RegExp, string][] = [
  [/^no way to reach the resident/, "unreachable"],
  [/^chosen by staff, but not possible/, "staffChoice"],
  [/^paper: the digital mailbox/, "mailboxNoAddress"],
  [/^email: /, "email"],
  [/^(eformidling|digipost|e-boks|kivra|mina meddelanden)[^:]*: /i, "mailbox"],
];

export function useLetterWords() {
  const { t } = useTranslation();
  const kind = (k: string) => t(`backoffice.letters.kind.${k}`, { defaultValue: k });
  const status = (s: string) => t(`backoffice.letters.status.${s}`, { defaultValue: s });
  const channel = (c: string | null) =>
    c ? t(`backoffice.letters.channel.${c}`, { defaultValue: c }) : null;
  const how = (s: string, c: string | null) => {
    const by = channel(c);
    return by ? t("backoffice.letters.how", { status: status(s), channel: by }) : status(s);
  };
  /** Why it did not arrive: in words, and the recorded details (null when there are none). */
  const reason = (text: string | null): { words: string; detail: string | null } | null => {
    if (!text) return null;
    for (const [pattern, key] of SYSTEM_REASONS)
      if (pattern.test(text)) return { words: t(`backoffice.letters.why.${key}`), detail: text };
    return { words: text, detail: null };
  };
  return { kind, status, channel, how, reason };
}
