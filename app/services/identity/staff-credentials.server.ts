import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { Secret, TOTP } from "otpauth";
import { db } from "~/infra/db.server";
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
 * The TOTP counter (time step) `code` belongs to, if it is valid for the secret at `now` (±1 step
 * for clock drift); null otherwise. Pure: it knows nothing of codes used before.
 */
export function totpCounterOf(secretBase32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const totp = new TOTP({ ...TOTP_SETTINGS, secret: Secret.fromBase32(secretBase32) });
  const timestamp = now.getTime();
  const delta = totp.validate({ token, timestamp, window: 1 });
  if (delta === null) return null;
  return totp.counter({ timestamp }) + delta;
}

/**
 * Whether `code` is valid for the secret at `now` and, when `consume` is set, not used before:
 * a code seen once (shoulder-surfed, phished, replayed from a proxy log) is refused for the rest
 * of its window, and so is any older code, since it was displayed before the one used.
 *
 * The guard is `Staff.totpLastCounter`, raised in one conditional UPDATE: PostgreSQL re-checks
 * the WHERE against the row after waiting for its lock, so of two simultaneous logins with one
 * code exactly one wins, whether they run in one process, in two web processes or either side
 * of a restart. Nothing is kept in memory. Without `consume` (the password was wrong, or the
 * account is disabled) the code is only checked against the secret and nothing is written, so a
 * failed attempt does not burn it.
 */
export async function consumeTotpCode(
  staffId: string,
  secretBase32: string,
  code: string,
  now: Date,
  consume: boolean,
): Promise<boolean> {
  const counter = totpCounterOf(secretBase32, code, now);
  if (counter === null) return false;
  if (!consume) return true;
  const updated = await db().$executeRaw`
    UPDATE "Staff" SET "totpLastCounter" = ${counter}
    WHERE "id" = ${staffId}::uuid AND ("totpLastCounter" IS NULL OR "totpLastCounter" < ${counter})`;
  return updated === 1;
}
