import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance } from "i18next";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { NonceContext } from "~/components/nonce";
import { i18nOptions } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { i18next } from "~/i18n/i18next.server";
import { log } from "~/infra/log.server";

const ABORT_DELAY = 5_000;

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
  }
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const lng = await i18next.getLocale(request);
  const instance = createInstance();
  await instance.use(initReactI18next).init({ ...i18nOptions, resources, lng });
  const nonce = loadContext.cspNonce ?? "";

  // Whole pages are sent at once (no streaming of deferred data): every page must be complete
  // without JavaScript, and a page is small.
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={instance}>
          <RemixServer
            context={remixContext}
            url={request.url}
            abortDelay={ABORT_DELAY}
            nonce={nonce}
          />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log.error("render failed", { error: String(error) });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

// Provider callbacks are taken by the Express layer in front of Remix (server/web.ts): the raw
// body for the signature, none of the page machinery. Exported here so that layer uses this
// build's own modules (one database pool, one configuration), not second copies.
export { acceptStripeWebhook } from "~/services/webhooks.server";
// The build's database pool, ended when the web server closes (server/web.ts).
export { disconnectDb } from "~/infra/db.server";
