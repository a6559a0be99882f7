import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/**
 * Identity numbers are stored encrypted (AES-256-GCM, random IV) and looked up by a keyed hash,
 * so a database dump alone reveals neither the numbers nor, by brute force over the small
 * space of valid numbers, which resident is which. The version tag leaves room for key rotation.
 */
export function encryptNationalId(canonical: string, keyBase64: string): string {
  const key = Buffer.from(keyBase64, "base64");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(canonical, "utf8"), cipher.final()]);
  return [
    "v1",
    iv.toString("base64"),
    cipher.getAuthTag().toString("base64"),
    data.toString("base64"),
  ].join(":");
}

export function decryptNationalId(stored: string, keyBase64: string): string {
  const [version, iv, tag, data] = stored.split(":");
  if (version !== "v1" || !iv || !tag || !data)
    throw new Error("Unknown identity-number cipher format");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    Buffer.from(keyBase64, "base64"),
    Buffer.from(iv, "base64"),
  );
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString(
    "utf8",
  );
}

export function nationalIdHash(country: string, canonical: string, keyBase64: string): string {
  return createHmac("sha256", Buffer.from(keyBase64, "base64"))
    .update(`${country}:${canonical}`)
    .digest("hex");
}

/** Other personal data kept encrypted the same way (a resident's postal address). */
export const encryptPersonalData = encryptNationalId;
export const decryptPersonalData = decryptNationalId;

const FILE_MAGIC = Buffer.from("KPE1");

/**
 * A file with personal data in it (an enforcement export: names, identity numbers, addresses),
 * encrypted the same way: "KPE1", the 12-byte IV, the 16-byte tag, then the ciphertext.
 */
export function encryptFile(plain: Uint8Array, keyBase64: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(keyBase64, "base64"), iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([FILE_MAGIC, iv, cipher.getAuthTag(), data]);
}

export function decryptFile(stored: Uint8Array, keyBase64: string): Buffer {
  const buf = Buffer.from(stored);
  if (buf.length < 32 || !buf.subarray(0, 4).equals(FILE_MAGIC))
    throw new Error("Unknown file cipher format");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    Buffer.from(keyBase64, "base64"),
    buf.subarray(4, 16),
  );
  decipher.setAuthTag(buf.subarray(16, 32));
  return Buffer.concat([decipher.update(buf.subarray(32)), decipher.final()]);
}
