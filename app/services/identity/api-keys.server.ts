import { todayIn } from "~/domain/calendar-date";
import { recordEvent } from "../events/events.server";
import { createHash, randomBytes } from "node:crypto";
import { db } from "~/infra/db.server";

const KEY_PREFIX = "kp_live_";

function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export class UnknownCreditorError extends Error {
  constructor(slug: string) {
    super(`No creditor with slug "${slug}"`);
  }
}

/** Creates a key for a creditor's billing system. The key is shown once; only its hash is kept. */
export async function createApiKey(creditorSlug: string): Promise<{ key: string; id: string }> {
  const creditor = await db().creditor.findUnique({ where: { slug: creditorSlug } });
  // A merged creditor (decision 0107) takes no keys: its billing system gets the new creditor's.
  if (!creditor || creditor.mergedAt) throw new UnknownCreditorError(creditorSlug);
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const row = await db().$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { creditorId: creditor.id, prefix: key.slice(0, 14), hash: hashKey(key) },
    });
    await recordEvent(tx, {
      creditorId: creditor.id,
      type: "api_key.created",
      actor: "cli",
      on: todayIn("UTC", new Date()),
      data: { keyId: created.id, prefix: created.prefix },
    });
    return created;
  });
  return { key, id: row.id };
}

export type ApiCaller = {
  creditorId: string;
  keyId: string;
  country: "SE" | "NO";
  currency: string;
  timeZone: string;
};

/** The creditor behind an `Authorization: Bearer <key>` header, or null for a missing, unknown or revoked key. */
export async function authenticateApiKey(authorization: string | null): Promise<ApiCaller | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) return null;
  const row = await db().apiKey.findUnique({
    where: { hash: hashKey(match[1]) },
    include: { creditor: true },
  });
  if (!row || row.revokedAt) return null;
  return {
    creditorId: row.creditorId,
    keyId: row.id,
    country: row.creditor.country,
    currency: row.creditor.currency,
    timeZone: row.creditor.timeZone,
  };
}
