// Local stand-in for an eFormidling integration point (felleslosninger/efm-integrasjonspunkt):
// the same REST paths, JSON shapes, error bodies (Spring's {status, error, exception, message,
// path}) and statuses. Capabilities come from the demo people: a mailbox → DPI digital + print;
// known to KRR without a mailbox → DPV (Altinn) + print; reserved or unknown → DPI print only.
// After a message is sent its statuses (MOTTATT, LEVERT, LEST or FEIL) appear on their own after
// `statusDelayMs` per step, or at once on POST /_test/release. POST /_test/messages/{id}/outcome
// {outcome} decides what happens to one message (the stand-in's own control, not eFormidling's).
// Development and tests only: nothing under app/ may import this file.
import { randomUUID } from "node:crypto";
import type { DemoContact, DemoOutcome } from "./letter-demo-people.ts";
import { handleOutageControl, listen, readBody, sendJson, type Outage } from "./standin-http.ts";
import { capabilitiesFor, DOC_STANDARDS, PROCESSES } from "./eformidling-capabilities.ts";
import { createMessageStore, error } from "./eformidling-messages.ts";

export type EformidlingStandin = {
  url: string;
  username: string;
  password: string;
  /** Files uploaded per messageId (what the integration point would have sent on). */
  uploads(messageId: string): { filename: string; bytes: number }[];
  sentCount(): number;
  close(): Promise<void>;
};

export async function startEformidlingStandin(options: {
  port: number;
  people: readonly DemoContact[];
  /** Delay before each status step; null: statuses only on POST /_test/release. */
  statusDelayMs?: number | null;
  username?: string;
  password?: string;
}): Promise<EformidlingStandin> {
  const username = options.username ?? "kravportal";
  const password = options.password ?? `local-${randomUUID()}`;
  const expectedAuth = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const delay = options.statusDelayMs === undefined ? 3000 : options.statusDelayMs;
  const outage: { current: Outage | null } = { current: null };
  const store = createMessageStore({ people: options.people, delay });
  const { conversations, out, outcomes, statuses, materialise, planFor } = store;

  const handle = await listen(
    options.port,
    async (req, res, url) => {
      const path = url.pathname;
      const method = req.method ?? "GET";
      if (path.startsWith("/_test/")) {
        if (method === "POST" && path === "/_test/outage")
          return handleOutageControl(req, res, outage);
        if (method === "POST" && path === "/_test/release") {
          materialise(true);
          return sendJson(res, 200, { statuses: statuses.length });
        }
        const m = /^\/_test\/messages\/([^/]+)\/outcome$/.exec(path);
        if (method === "POST" && m) {
          const { outcome } = JSON.parse((await readBody(req)).toString()) as {
            outcome: DemoOutcome;
          };
          outcomes.set(m[1]!, outcome);
          const c = conversations.get(m[1]!);
          if (c && c.plan.length > 0) c.plan = planFor(c);
          return sendJson(res, 200, { outcome });
        }
        return sendJson(res, 404, {});
      }
      if (req.headers.authorization !== expectedAuth) {
        res.setHeader("www-authenticate", 'Basic realm="Realm"');
        return sendJson(res, 401, {
          timestamp: new Date().toISOString(),
          status: 401,
          error: "Unauthorized",
          path,
        });
      }
      materialise();
      let m: RegExpExecArray | null;
      if (method === "GET" && (m = /^\/api\/capabilities\/([^/]+)$/.exec(path))) {
        const caps = capabilitiesFor(options.people, decodeURIComponent(m[1]!));
        return caps
          ? sendJson(res, 200, caps)
          : error(res, 404, "IdentifierNotFoundException", `Identifier ${m[1]} not found`, path);
      }
      if (method === "POST" && path === "/api/messages/out") return store.create(req, res, path);
      if ((m = /^\/api\/messages\/out\/([^/]+)$/.exec(path))) {
        const id = m[1]!;
        if (method === "PUT") return store.upload(req, res, path, id);
        if (method === "POST") return store.sendOut(res, path, id);
        if (method === "GET") {
          const msg = out.get(id);
          return msg
            ? sendJson(res, 200, msg.sbd)
            : error(
                res,
                404,
                "MessageNotFoundException",
                `Message with messageId = ${id} was not found`,
                path,
              );
        }
        if (method === "DELETE") {
          out.delete(id);
          return void res.writeHead(200).end();
        }
      }
      if (method === "GET" && (m = /^\/api\/conversations\/messageId\/([^/]+)$/.exec(path))) {
        const c = conversations.get(m[1]!);
        if (!c)
          return error(
            res,
            404,
            "MessageNotFoundException",
            `Message with messageId = ${m[1]} was not found`,
            path,
          );
        return sendJson(res, 200, {
          id: c.id,
          conversationId: c.conversationId,
          messageId: c.messageId,
          receiverIdentifier: c.receiver,
          processIdentifier: PROCESSES.info,
          documentIdentifier: DOC_STANDARDS[c.type as keyof typeof DOC_STANDARDS],
          direction: "OUTGOING",
          messageStatuses: c.statuses.map(({ id, status, lastUpdate, description }) => ({
            id,
            status,
            lastUpdate,
            description,
          })),
        });
      }
      if (method === "GET" && path === "/api/statuses") {
        const page = Math.max(0, Number(url.searchParams.get("page") ?? 0));
        const size = Math.min(2000, Math.max(1, Number(url.searchParams.get("size") ?? 10)));
        const content = statuses.slice(page * size, page * size + size);
        const totalPages = Math.ceil(statuses.length / size);
        return sendJson(res, 200, {
          content,
          pageable: { pageNumber: page, pageSize: size, offset: page * size },
          totalElements: statuses.length,
          totalPages,
          last: page >= totalPages - 1,
          first: page === 0,
          size,
          number: page,
          numberOfElements: content.length,
          empty: content.length === 0,
        });
      }
      return error(res, 404, "NoHandlerFoundException", "Not found", path);
    },
    outage,
  );

  return {
    url: handle.url,
    username,
    password,
    uploads: (id) => store.uploads.get(id) ?? [],
    sentCount: store.sentCount,
    close: handle.close,
  };
}
