import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { Secret, TOTP } from "otpauth";
import { decryptNationalId, encryptNationalId } from "~/infra/pii.server";

// @node-rs/argon2 defaults to argon2id with 19 MiB and 2 passes: the OWASP baseline. A test
// checks the stored hash says argon2id, so a change of library default cannot slip by.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash, or against a throwaway hash when there is none, so
 * an unknown email costs as much time as a known one and response times do not list accounts.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  dummyHash ??= hash("no account has this password");
  const target = stored ?? (await dummyHash);
  try {
    const ok = await verify(target, password);
    return stored !== null && ok;
  } catch {
    return false;
  }
}

// No 0/O, 1/l/I: the password is read off a screen and typed in by hand.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** 20 characters from 31 (about 99 bits), in groups of four for reading aloud. */
export function generateOneTimePassword(): string {
  const chars = Array.from({ length: 20 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return chars.join("").replace(/(.{4})(?=.)/g, "$1-");
}

const TOTP_SETTINGS = { issuer: "Kravportal", algorithm: "SHA1", digits: 6, period: 30 } as const;

/** A fresh TOTP secret and the otpauth:// URI an authenticator app enrols from. */
export function generateTotp(label: string): { secretBase32: string; uri: string } {
  const secret = new Secret({ size: 20 });
  const totp = new TOTP({ ...TOTP_SETTINGS, label, secret });
  return { secretBase32: secret.base32, uri: totp.toString() };
}

// The AES-GCM helpers are named for identity numbers but are generic; the TOTP secret is as
// sensitive (it mints login codes), so it gets the same treatment under the same key.
export const encryptTotpSecret = encryptNationalId;
export const decryptTotpSecret = decryptNationalId;

/**
 * Codes accepted per staff member, as TOTP counters, so a code seen once (shoulder-surfed,
 * phished, replayed from a proxy log) is refused for the rest of its window.
 *
 * Limit: this lives in the process. After a restart, or on a second web process, a code could
 * be used once more within its ~90 seconds. A `totpLastCounter` column on Staff, compared and
 * set in one UPDATE, would close that; the schema has none yet.
 */
const lastUsedCounter = new Map<string, number>();

/**
 * Whether `code` is valid for the secret at `now` (±1 step for clock drift) and not used before.
 * A valid code is consumed at once, in the same synchronous step as the check, so two
 * simultaneous logins with one code cannot both pass.
 */
export function consumeTotpCode(
  staffId: string,
  secretBase32: string,
  code: string,
  now: Date,
  consume: boolean,
): boolean {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return false;
  const totp = new TOTP({ ...TOTP_SETTINGS, secret: Secret.fromBase32(secretBase32) });
  const timestamp = now.getTime();
  const delta = totp.validate({ token, timestamp, window: 1 });
  if (delta === null) return false;
  const counter = totp.counter({ timestamp }) + delta;
  // Older codes than the last one used are refused too: they were displayed before it.
  if (counter <= (lastUsedCounter.get(staffId) ?? -1)) return false;
  if (consume) lastUsedCounter.set(staffId, counter);
  return true;
}
