/**
 * Structured payment references: Norwegian KID (MOD10 or MOD11) and Swedish Bankgirot OCR
 * (Luhn, optionally with a length digit). A reference that validates is what lets a bank-file
 * line be matched to a claim without a human, so generation and validation share one code path.
 */

export type ReferenceScheme = "KID_MOD10" | "KID_MOD11" | "OCR" | "OCR_LENGTH";

export type ReferenceValidation =
  { ok: true } | { ok: false; reason: "format" | "length" | "check_digit" | "length_digit" };

// Named so as not to shadow the global ReferenceError.
export class PaymentReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentReferenceError";
  }
}

export const REFERENCE_MIN_LENGTH = 2;
export const REFERENCE_MAX_LENGTH = 25;
/** referenceFor pads the sequence number to this many digits. */
export const SEQUENCE_DIGITS = 8;

const DIGITS = /^\d+$/;

function assertDigits(digits: string): void {
  if (!DIGITS.test(digits)) throw new PaymentReferenceError(`expected digits, got "${digits}"`);
}

/** Luhn (MOD10) check digit for a base, doubling from the rightmost base digit. */
export function luhnCheckDigit(digits: string): number {
  assertDigits(digits);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    } else {
      sum += digit;
    }
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidLuhn(full: string): boolean {
  if (!DIGITS.test(full) || full.length < 2) return false;
  return luhnCheckDigit(full.slice(0, -1)) === Number(full.slice(-1));
}

/**
 * MOD11 with weights 2..7 repeating from the rightmost digit. Null when the remainder would
 * demand a check digit of 10: such a base has no valid KID and must not be issued.
 */
export function mod11CheckDigit(digits: string): number | null {
  assertDigits(digits);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    sum += Number(digits[digits.length - 1 - i]) * ((i % 6) + 2);
  }
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** Bankgirot "hård kontroll": total length including length and check digit, mod 10. */
function lengthDigit(baseLength: number): number {
  return (baseLength + 2) % 10;
}

export function generateReference(scheme: ReferenceScheme, base: string): string {
  if (!/^\d*$/.test(base)) throw new PaymentReferenceError(`base must be digits, got "${base}"`);
  let reference: string;
  switch (scheme) {
    case "KID_MOD10":
    case "OCR":
      reference = base + String(luhnCheckDigit(base || "0"));
      break;
    case "KID_MOD11": {
      const check = base === "" ? 0 : mod11CheckDigit(base);
      if (check === null) {
        throw new PaymentReferenceError(`base ${base} has no MOD11 check digit; pick another base`);
      }
      reference = base + String(check);
      break;
    }
    case "OCR_LENGTH": {
      const withLength = base + String(lengthDigit(base.length));
      reference = withLength + String(luhnCheckDigit(withLength));
      break;
    }
  }
  if (reference.length < REFERENCE_MIN_LENGTH || reference.length > REFERENCE_MAX_LENGTH) {
    throw new PaymentReferenceError(
      `reference would be ${reference.length} digits; allowed ${REFERENCE_MIN_LENGTH}–${REFERENCE_MAX_LENGTH}`,
    );
  }
  return reference;
}

/**
 * The reference for the seq-th claim under a numeric prefix: prefix + seq padded to 8 digits.
 *
 * For KID_MOD11, about 1 base in 11 has no check digit. Those bases get one extra filler digit,
 * "0", or "1" if "0" also fails. Appending digit f adds 2·f to the weighted sum, so "0" and "1"
 * give different remainders and at most one of them can be the bad one. No collisions for a
 * fixed prefix: fallback references are one digit longer than regular ones, and two fallback
 * bases differ already in their first prefix+8 digits. This is why seq is capped at 8 digits.
 */
export function referenceFor(scheme: ReferenceScheme, seq: number, prefix: string): string {
  if (!/^\d*$/.test(prefix)) {
    throw new PaymentReferenceError(`prefix must be digits, got "${prefix}"`);
  }
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= 10 ** SEQUENCE_DIGITS) {
    throw new PaymentReferenceError(`seq must be an integer in 0..${10 ** SEQUENCE_DIGITS - 1}`);
  }
  const base = prefix + String(seq).padStart(SEQUENCE_DIGITS, "0");
  if (scheme !== "KID_MOD11" || mod11CheckDigit(base) !== null) {
    return generateReference(scheme, base);
  }
  const filler = mod11CheckDigit(base + "0") !== null ? "0" : "1";
  return generateReference(scheme, base + filler);
}

export function validateReference(scheme: ReferenceScheme, ref: string): ReferenceValidation {
  if (!DIGITS.test(ref)) return { ok: false, reason: "format" };
  if (ref.length < REFERENCE_MIN_LENGTH || ref.length > REFERENCE_MAX_LENGTH) {
    return { ok: false, reason: "length" };
  }
  const body = ref.slice(0, -1);
  const check = Number(ref.slice(-1));
  switch (scheme) {
    case "KID_MOD10":
    case "OCR":
    case "OCR_LENGTH":
      if (scheme === "OCR_LENGTH" && Number(body.slice(-1)) !== ref.length % 10) {
        return { ok: false, reason: "length_digit" };
      }
      return luhnCheckDigit(body) === check ? { ok: true } : { ok: false, reason: "check_digit" };
    case "KID_MOD11":
      return mod11CheckDigit(body) === check ? { ok: true } : { ok: false, reason: "check_digit" };
  }
}
