import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptNationalId, encryptNationalId, nationalIdHash } from "./pii.server";

const key = randomBytes(32).toString("base64");
const otherKey = randomBytes(32).toString("base64");

describe("identity numbers at rest", () => {
  it("round-trips, with a fresh IV each time, and never stores the number in clear", () => {
    const a = encryptNationalId("195403129827", key);
    const b = encryptNationalId("195403129827", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("195403129827");
    expect(decryptNationalId(a, key)).toBe("195403129827");
  });

  it("refuses a wrong key or a tampered ciphertext", () => {
    const stored = encryptNationalId("18845610009", key);
    expect(() => decryptNationalId(stored, otherKey)).toThrow();
    const parts = stored.split(":");
    parts[3] = Buffer.from("tampered").toString("base64");
    expect(() => decryptNationalId(parts.join(":"), key)).toThrow();
  });

  it("hashes per key and country, so a stolen table cannot be matched without the key", () => {
    expect(nationalIdHash("SE", "195403129827", key)).toBe(
      nationalIdHash("SE", "195403129827", key),
    );
    expect(nationalIdHash("SE", "195403129827", key)).not.toBe(
      nationalIdHash("SE", "195403129827", otherKey),
    );
    expect(nationalIdHash("SE", "195403129827", key)).not.toBe(
      nationalIdHash("NO", "195403129827", key),
    );
  });
});
