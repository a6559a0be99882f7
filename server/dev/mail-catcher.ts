// Local stand-in for a mail server: catches what the portal sends so a developer can read it.
// Development and tests only: nothing under app/ may import this file (the portal reads the
// catcher over HTTP, through app/services/letters/dev-mail.server.ts).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

export type CaughtMessage = {
  id: string;
  to: string;
  from: string;
  subject: string;
  date: string;
  text: string;
  html: string | null;
};

export type MailCatcher = { smtpUrl: string; apiUrl: string; close(): Promise<void> };

const KEEP = 500;
const MAX_BYTES = 10 * 1024 * 1024;

const addresses = (list: SMTPServerAddress[]) => list.map((a) => a.address).join(", ");

function createSmtp(store: CaughtMessage[]): SMTPServer {
  return new SMTPServer({
    authOptional: true,
    // Accept any login so a URL with credentials (as in production) also works locally;
    // without TLS, smtp-server would refuse AUTH altogether.
    allowInsecureAuth: true,
    onAuth: (auth, _session, done) => done(null, { user: auth.username ?? "dev" }),
    disabledCommands: ["STARTTLS"],
    size: MAX_BYTES,
    banner: "Kravportal dev mail catcher",
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream)
        .then((mail) => {
          if (stream.sizeExceeded) {
            const error = Object.assign(new Error("Message too large"), { responseCode: 552 });
            return done(error);
          }
          const mailFrom = session.envelope.mailFrom;
          store.unshift({
            id: randomUUID(),
            to: addresses(session.envelope.rcptTo),
            from: mail.from?.text ?? (mailFrom ? mailFrom.address : ""),
            subject: mail.subject ?? "",
            date: new Date().toISOString(),
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : null,
          });
          store.splice(KEEP);
          done();
        })
        .catch((error: Error) => done(error));
    },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function handle(store: CaughtMessage[], req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? "/", "http://catcher").pathname.replace(/\/+$/, "");
  const match = /^\/messages\/([\w-]+)(\/html)?$/.exec(path);
  if (path === "/messages" && req.method === "GET") {
    return sendJson(
      res,
      200,
      store.map(({ html: _html, ...summary }) => summary),
    );
  }
  if (path === "/messages" && req.method === "DELETE") {
    store.length = 0;
    res.writeHead(204).end();
    return;
  }
  if (match && req.method === "GET") {
    const message = store.find((m) => m.id === match[1]);
    if (!message) return sendJson(res, 404, { error: "not found" });
    if (!match[2]) return sendJson(res, 200, message);
    // The raw HTML, as a mail program would show it: styles allowed, scripts and remote loads not.
    res.writeHead(message.html ? 200 : 404, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    });
    res.end(message.html ?? "");
    return;
  }
  sendJson(res, 404, { error: "not found" });
}

function listen(
  server: {
    listen(port: number, host: string, cb: () => void): unknown;
    once(e: "error", cb: (err: Error) => void): unknown;
  },
  port: number,
  host: string,
) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
}

/** Port 0 picks a free port; the returned URLs carry the ports actually bound. */
export async function startMailCatcher(opts: {
  smtpPort: number;
  httpPort: number;
  host?: string;
}): Promise<MailCatcher> {
  const host = opts.host ?? "127.0.0.1";
  const store: CaughtMessage[] = [];
  const smtp = createSmtp(store);
  const http: Server = createServer((req, res) => handle(store, req, res));
  await listen(smtp, opts.smtpPort, host);
  await listen(http, opts.httpPort, host);
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    apiUrl: `http://${host}:${httpPort}`,
    close: async () => {
      http.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => http.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
    },
  };
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const catcher = await startMailCatcher({
    smtpPort: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
    httpPort: Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 1080),
    host: process.env.MAIL_CATCHER_HOST ?? "127.0.0.1",
  });
  process.stdout.write(
    `Mail catcher: SMTP_URL=${catcher.smtpUrl} DEV_MAIL_CATCHER_URL=${catcher.apiUrl}\n`,
  );
  const stop = () => void catcher.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
