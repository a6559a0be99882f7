// The Express side of the input boundary (app/infra/input-boundary.server.ts) and the hand-over
// to Remix. Every request's address is checked; every body is read once, within limits, by its
// content type, and handed to Remix re-encoded, so no action meets a body its parser chokes on.
// What is refused gets a 4xx with a clear answer: a page in the resident's language, or for the
// API a problem document. A page that fails while the database is away is a 503 "try again".
import type { NextFunction, Request as ExpressRequest, Response } from "express";
// Not re-exported by the package index, but public in its server module (and its types).
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import {
  admitForm,
  checkJson,
  checkTarget,
  DEFAULT_FORM_LIMITS,
  mediaTypeOf,
  readBody,
  type Refusal,
} from "../app/infra/input-boundary.server.ts";
import { log } from "../app/infra/log.server.ts";
import type { ClaimReasonCode } from "../app/domain/claim-reasons.ts";

type StatusKind = Refusal["kind"] | "method" | "unavailable";

/** A refused field in the API's problem document: as the routes name theirs (app/api/http.server.ts). */
type ProblemFieldError = { path: string; message: string; code: ClaimReasonCode };

/** What app/entry.server.tsx exports for this layer. */
export type GateEntry = {
  renderStatusPage(request: globalThis.Request, kind: StatusKind): Promise<string>;
  checkDatabase(timeoutMs?: number): Promise<boolean>;
};

const API_PREFIX = "/api/";
const API_BODY_BYTES = 64 * 1024;
// A batch of up to 1,000 claims (POST /api/v1/claims/batch): about 1.5 KiB each at most.
const API_BATCH_PATH = "/api/v1/claims/batch";
export const API_BATCH_BODY_BYTES = 2 * 1024 * 1024;
// Claim files uploaded in the back office (POST /staff/imports) are not read here: the route
// streams them to disk with busboy under its own size limit and imports them in chunks, so a
// 100,000-line file is never held in memory (app/services/claims/claim-import.server.ts). Bank
// files (POST /staff/bank-files) likewise (app/services/backoffice/bank-upload.server.ts).
const STREAMED_UPLOADS = new Set(["/staff/imports", "/staff/bank-files"]);
const FORM_BODY_BYTES = 256 * 1024;

const isApi = (req: ExpressRequest) => req.path.startsWith(API_PREFIX);

/** Only the headers a status page needs to pick the language. */
function headersOnly(req: ExpressRequest): globalThis.Request {
  const headers = new Headers();
  for (const name of ["cookie", "accept-language"]) {
    const value = req.get(name);
    if (value) headers.set(name, value);
  }
  return new Request("http://localhost/", { headers });
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  503: "Service Unavailable",
};

export function createGate(entry: GateEntry, opts: { uploadMaxBytes: number; maxFiles: number }) {
  async function answer(
    req: ExpressRequest,
    res: Response,
    status: number,
    kind: StatusKind,
    detail: string,
    extra: { errors?: ProblemFieldError[]; headers?: Record<string, string> } = {},
  ) {
    res.status(status).set({ "Cache-Control": "no-store", ...extra.headers });
    // A body left unread would be taken for the next request on this connection.
    if (!req.complete) res.set("Connection", "close");
    if (isApi(req)) {
      res.type("application/problem+json").send(
        JSON.stringify({
          type: "about:blank",
          title: TITLES[status] ?? "Error",
          status,
          detail,
          ...(extra.errors ? { errors: extra.errors } : {}),
        }),
      );
      return;
    }
    res.type("text/html").send(await entry.renderStatusPage(headersOnly(req), kind));
  }

  /** Every request: the address must decode, and decode to no control character. */
  function checkAddress(req: ExpressRequest, res: Response, next: NextFunction) {
    const refusal = checkTarget(req.originalUrl);
    if (!refusal) return next();
    answer(req, res, refusal.status, refusal.kind, refusal.detail).catch(next);
  }

  /** Every request with a body: read, checked and kept for the Remix request. */
  async function admitBody(req: ExpressRequest, res: Response, next: NextFunction) {
    try {
      if (req.method === "GET" || req.method === "HEAD") return next();
      const api = isApi(req);
      // Pages take forms, which browsers only POST; the API's routes answer other methods.
      if (!api && req.method !== "POST") {
        return await answer(req, res, 405, "method", "Pages accept GET and POST.", {
          headers: { Allow: "GET, HEAD, POST" },
        });
      }
      const type = mediaTypeOf(req.get("content-type"));
      if (!api && type === "multipart/form-data" && STREAMED_UPLOADS.has(req.path)) return next();
      const limit = api
        ? req.path === API_BATCH_PATH
          ? API_BATCH_BODY_BYTES
          : API_BODY_BYTES
        : type === "multipart/form-data"
          ? (opts.maxFiles + 1) * opts.uploadMaxBytes + 1024 * 1024
          : FORM_BODY_BYTES;
      const bytes = await readBody(req, limit);
      if (!Buffer.isBuffer(bytes))
        return await answer(req, res, bytes.status, bytes.kind, bytes.detail);
      if (api) {
        // The route judges the media type and the JSON itself; control characters stop here.
        const bad = type === "application/json" ? checkJson(bytes) : null;
        if (bad) {
          const path = bad.path || "(body)";
          return await answer(
            req,
            res,
            400,
            "controlChars",
            "Control characters are not accepted.",
            {
              errors: [
                {
                  path,
                  message: "must not contain control characters",
                  code: "control_characters",
                },
              ],
            },
          );
        }
        res.locals.body = bytes;
        return next();
      }
      const admitted = await admitForm(req.get("content-type"), bytes, {
        ...DEFAULT_FORM_LIMITS,
        fileBytes: opts.uploadMaxBytes,
      });
      if (admitted.refused)
        return await answer(req, res, admitted.status, admitted.kind, admitted.detail);
      res.locals.body = admitted.body;
      next();
    } catch (error) {
      next(error);
    }
  }

  /**
   * Remix with the admitted body. A 5xx while the database does not answer becomes a 503 that
   * says so; an API route's bare 405 (a POST to `/api/v1/claims/batch`) gets a problem document.
   */
  function remix(build: ServerBuild, mode: string) {
    const handle = createRequestHandler(build, mode);
    return async (req: ExpressRequest, res: Response, next: NextFunction) => {
      try {
        const withBody = res.locals.body as BodyInit | undefined;
        let request: globalThis.Request;
        if (withBody === undefined) {
          request = createRemixRequest(req, res);
        } else {
          // The URL, headers and abort signal as the adapter makes them; the body re-encoded.
          const base = createRemixRequest(Object.create(req, { method: { value: "GET" } }), res);
          const headers = new Headers(base.headers);
          headers.delete("content-length");
          if (!Buffer.isBuffer(withBody)) headers.delete("content-type");
          request = new Request(base.url, {
            method: req.method,
            headers,
            body: withBody,
            signal: base.signal,
          });
        }
        const response = await handle(request, { cspNonce: res.locals.cspNonce as string });
        if (response.status >= 500 && !(await entry.checkDatabase())) {
          log.warn("database unavailable", { path: req.path, status: response.status });
          return await answer(
            req,
            res,
            503,
            "unavailable",
            "The database is unavailable; try again in a few minutes.",
            {
              headers: { "Retry-After": "30" },
            },
          );
        }
        if (
          response.status === 405 &&
          isApi(req) &&
          !/problem\+json/.test(response.headers.get("content-type") ?? "")
        ) {
          return await answer(req, res, 405, "method", `${req.method} is not accepted here.`, {
            headers: { Allow: "GET, HEAD" },
          });
        }
        await sendRemixResponse(res, response);
      } catch (error) {
        next(error);
      }
    };
  }

  return { checkAddress, admitBody, remix };
}
