import { randomBytes } from "node:crypto";
import { createCookie, createSessionStorage, type Session } from "@remix-run/node";
import { env } from "./env.server";
import { db } from "./db.server";
import { sql } from "./sql.server";

export type ResidentSessionData = {
  residentId?: string | null;
  name?: string;
  /**
   * The eID's ID token, encrypted as personal data (it names the resident's identity number):
   * the eID service asks for it back as the hint when the resident logs out there too.
   */
  idTokenCipher?: string;
  // While a login is under way: what the eID callback must match.
  pendingLogin?: { state: string; nonce: string; codeVerifier: string; returnTo: string };
};

type AnyData = Record<string, unknown>;

function secureCookies(): boolean {
  const url = new URL(env().PUBLIC_URL);
  // Browsers treat http://localhost as a secure context, so Secure cookies work there too.
  return url.protocol === "https:" || url.hostname === "localhost" || url.hostname === "127.0.0.1";
}

function idleMs(): number {
  return env().SESSION_IDLE_MINUTES * 60_000;
}

// Refreshing the idle deadline on every request would write on every page view.
const TOUCH_AFTER_MS = 60_000;

/**
 * A session's row, and its idle deadline moved on when it was last seen more than a minute ago
 * ($5) and has not expired: one statement per request (the read and the refresh were two, one
 * after the other). The refresh commits asynchronously (`set_config(..., true)` lasts until the
 * statement's own transaction ends, so nothing else on the connection is affected): a refresh
 * lost in a crash costs nothing, and a synchronous one waited for a WAL flush on a page view
 * (as the rate limits' counts did, decision 0108; decision 0116). The row read is the one before
 * the refresh. Parameters: id, now, new deadline, kind, now minus a minute.
 */
export const READ_AND_TOUCH_SQL = `
  WITH touched AS (
    UPDATE "Session" SET "lastSeenAt" = $2, "expiresAt" = $3
    WHERE id = $1 AND kind = $4 AND "expiresAt" > $2 AND "lastSeenAt" < $5
    RETURNING set_config('synchronous_commit', 'off', true))
  SELECT s.kind, s.data, s."expiresAt", (SELECT count(*) FROM touched)::int AS touched
  FROM "Session" s WHERE s.id = $1`;

/**
 * Sessions live in PostgreSQL; the cookie carries only a random id. Deleting the row ends the
 * session at once (logout, revocation), and a session idle longer than SESSION_IDLE_MINUTES is gone.
 */
function createDbSessionStorage(kind: "resident" | "staff", cookieName: string) {
  let storage: ReturnType<typeof createSessionStorage<AnyData>> | undefined;
  return () => {
    if (storage) return storage;
    const cookie = createCookie(cookieName, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: secureCookies(),
      secrets: [env().SESSION_SECRET],
    });
    storage = createSessionStorage<AnyData>({
      cookie,
      async createData(data) {
        const id = randomBytes(32).toString("base64url");
        await db().session.create({
          data: { id, kind, data: data as object, expiresAt: new Date(Date.now() + idleMs()) },
        });
        return id;
      },
      // Read on every request, so in plain SQL on the pool rather than through Prisma, and in
      // one statement with the idle deadline's refresh (see READ_AND_TOUCH_SQL).
      async readData(id) {
        const now = Date.now();
        const [row] = await sql<{ kind: string; data: AnyData; expiresAt: Date }>(
          READ_AND_TOUCH_SQL,
          [id, new Date(now), new Date(now + idleMs()), kind, new Date(now - TOUCH_AFTER_MS)],
        );
        if (!row || row.kind !== kind) return null;
        if (row.expiresAt.getTime() <= now) {
          await sql(`DELETE FROM "Session" WHERE id = $1`, [id]);
          return null;
        }
        return row.data;
      },
      async updateData(id, data) {
        const now = Date.now();
        await db().session.updateMany({
          where: { id, kind },
          data: {
            data: data as object,
            lastSeenAt: new Date(now),
            expiresAt: new Date(now + idleMs()),
          },
        });
      },
      async deleteData(id) {
        await db().session.deleteMany({ where: { id } });
      },
    });
    return storage;
  };
}

export const residentSessionStorage = createDbSessionStorage("resident", "kp_session");

/**
 * Removes the sessions whose idle deadline has passed (a read already refuses them; this takes
 * their rows away: a resident's name and encrypted eID token, a staff member's id, a login that
 * was begun and never finished). Run by the worker every ten minutes; returns how many went.
 */
export async function deleteExpiredSessions(now: Date): Promise<number> {
  const rows = await sql<{ n: number }>(
    `WITH gone AS (DELETE FROM "Session" WHERE "expiresAt" <= $1 RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [now],
  );
  return rows[0]?.n ?? 0;
}

export type ResidentSession = Session<ResidentSessionData>;

export async function getResidentSession(request: Request): Promise<ResidentSession> {
  return (await residentSessionStorage().getSession(
    request.headers.get("Cookie"),
  )) as unknown as ResidentSession;
}

export type StaffSignInMethod = "password" | "oidc";

export type StaffSessionData = {
  staffId?: string;
  signInMethod?: StaffSignInMethod;
  // While a sign-in through the municipality's identity provider is under way.
  pendingOidc?: { state: string; nonce: string; codeVerifier: string; returnTo: string };
};

// A separate cookie and session kind: a staff sign-in never grants a resident's view or the
// reverse, and either can be revoked alone.
export const staffSessionStorage = createDbSessionStorage("staff", "kp_staff");

export type StaffSession = Session<StaffSessionData>;

export async function getStaffSession(request: Request): Promise<StaffSession> {
  return (await staffSessionStorage().getSession(
    request.headers.get("Cookie"),
  )) as unknown as StaffSession;
}
