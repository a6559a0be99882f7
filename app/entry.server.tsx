import { Writable } from "node:stream";
import { withPageTitle } from "./components/page-title";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance, type i18n } from "i18next";
import { renderToPipeableStream, renderToStaticMarkup, renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { pageHydrates } from "~/components/hydration";
import { NonceContext } from "~/components/nonce";
import { StatusMessage, type StatusKind } from "~/components/status-page";
import { i18nOptions } from "~/i18n/config";
import { rememberPlainTexts } from "~/i18n/plain-texts.server";
import { resources } from "~/i18n/resources.server";
import { i18next } from "~/i18n/i18next.server";
import { log } from "~/infra/log.server";
import stylesheet from "~/styles/app.css?url";

const ABORT_DELAY = 5_000;

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
  }
}

// One i18next instance per language, made on first use: the texts are in memory and a page never
// changes the language of the instance it renders with, so every request in that language can
// share it (building and initialising one per request was a tenth of a page's cost).
const translators = new Map<string, Promise<i18n>>();

function translatorFor(lng: string): Promise<i18n> {
  let found = translators.get(lng);
  if (!found) {
    const instance = createInstance();
    found = instance
      .use(initReactI18next)
      .init({ ...i18nOptions, resources, lng })
      .then(() => rememberPlainTexts(instance));
    translators.set(lng, found);
    found.catch(() => translators.delete(lng));
  }
  return found;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Every page is made for whoever asked (the name in the header, their claims): never kept by a
  // browser or a proxy, so Back after logging out on a shared phone fetches it again and meets
  // the login rather than the last resident's bills.
  if (!responseHeaders.has("Cache-Control"))
    responseHeaders.set("Cache-Control", "private, no-store");
  const lng = await i18next.getLocale(request);
  const instance = await translatorFor(lng);
  const nonce = loadContext.cspNonce ?? "";

  // Whole pages are sent at once (no streaming of deferred data): every page must be complete
  // without JavaScript, and a page is small. So the HTML is gathered and sent as one buffer with
  // its length: one write to the socket instead of one per chunk React emits.
  const page = (
    <NonceContext.Provider value={nonce}>
      <I18nextProvider i18n={instance}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={nonce}
        />
      </I18nextProvider>
    </NonceContext.Provider>
  );
  const { matches } = remixContext.staticHandlerContext;
  if (!pageHydrates(matches.map((m) => remixContext.routeModules[m.route.id]?.handle))) {
    // A page without scripts has no hydration data to stream after it (root.tsx leaves out
    // <Scripts>), so it is rendered in one synchronous pass. Measured side by side, this made the
    // claim page 8–16 % faster than the stream below, and My claims no slower (README, Decisions).
    // A render error throws here, and Remix renders the error boundary instead, as it does for a
    // stream's shell error.
    const html = Buffer.from(`<!DOCTYPE html>${withPageTitle(renderToString(page))}`);
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    responseHeaders.set("Content-Length", String(html.length));
    return new Response(html, { headers: responseHeaders, status: responseStatusCode });
  }
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(page, {
      nonce,
      onAllReady() {
        shellRendered = true;
        const chunks: Buffer[] = [];
        const body = new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk);
            done();
          },
          final(done) {
            const html = Buffer.from(withPageTitle(Buffer.concat(chunks).toString("utf8")));
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            responseHeaders.set("Content-Length", String(html.length));
            clearTimeout(timer);
            resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
            done();
          },
        });
        body.on("error", reject);
        pipe(body);
      },
      onShellError(error: unknown) {
        clearTimeout(timer);
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) log.error("render failed", { error: String(error) });
      },
    });
    // React starts rendering on a later turn (setImmediate), so the callbacks above run after this.
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * A whole error page for the Express layer in front of Remix (server/web.ts), which turns a
 * request away before any route runs (a body that is not a form, too large, control characters)
 * or finds the database gone: in the resident's language (cookie, then browser), with the site's
 * styles and its way back, and no script.
 */
export async function renderStatusPage(request: Request, kind: StatusKind): Promise<string> {
  const lng = await i18next.getLocale(request);
  const instance = await translatorFor(lng);
  const page = (
    <html lang={lng} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Kravportal</title>
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body>
        <header className="site-header">
          <div className="site-header__inner">
            <a className="site-title" href="/">
              Kravportal
            </a>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <I18nextProvider i18n={instance}>
            <StatusMessage kind={kind} />
          </I18nextProvider>
        </main>
      </body>
    </html>
  );
  return `<!DOCTYPE html>${withPageTitle(renderToStaticMarkup(page))}`;
}

// Whether the database answers, for the Express layer: a page that failed while it does not is
// answered "unavailable, try again", not "something went wrong".
export { checkDatabase } from "~/services/operations/health.server";

// Provider callbacks are taken by the Express layer in front of Remix (server/web.ts): the raw
// body for the signature, none of the page machinery. Exported here so that layer uses this
// build's own modules (one database pool, one configuration), not second copies.
export { acceptStripeWebhook } from "~/services/payments/webhooks.server";
// The build's database pool, ended when the web server closes (server/web.ts).
export { disconnectDb, poolStats } from "~/infra/db.server";
