// Small HTTP helpers shared by the letter stand-ins (Maskinporten, KRR, eFormidling, Kivra, FaR).
// Development and tests only: nothing under app/ may import this file.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Req = IncomingMessage;
export type Res = ServerResponse;
export type Handler = (req: Req, res: Res, url: URL) => Promise<void> | void;

export class BodyTooLarge extends Error {}

export async function readBody(req: Req, limit = 20 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  res: Res,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** A scripted outage: the next `count` requests get `status` (e.g. 503), for tests and demos. */
export type Outage = { status: number; count: number };

export async function listen(
  port: number,
  handler: Handler,
  outage: { current: Outage | null },
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const scripted = outage.current;
    if (scripted && scripted.count > 0 && !url.pathname.startsWith("/_test/")) {
      scripted.count -= 1;
      if (scripted.count === 0) outage.current = null;
      sendJson(res, scripted.status, { error: "scripted outage" });
      return;
    }
    Promise.resolve(handler(req, res, url)).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: "payload too large" });
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** POST /_test/outage {status, count}: the stand-in's own control endpoint, never a real API. */
export async function handleOutageControl(req: Req, res: Res, outage: { current: Outage | null }) {
  const body = JSON.parse((await readBody(req)).toString() || "{}") as Partial<Outage>;
  outage.current = { status: Number(body.status ?? 503), count: Number(body.count ?? 1) };
  sendJson(res, 200, outage.current);
}

export function bearer(req: Req): string | null {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1] ?? null;
}
