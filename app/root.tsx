import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { SITE_TITLE, usePageTitle } from "./components/page-title";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { SiteHeader } from "~/components/site-header";
import { StatusMessage, statusKindOf } from "~/components/status-page";
import { pageHydrates } from "~/components/hydration";
import { useNonce } from "~/components/nonce";
import { i18next } from "~/i18n/i18next.server";
import { currentResident } from "~/services/identity/resident-auth.server";
import stylesheet from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await i18next.getLocale(request);
  const resident = await currentResident(request, context);
  const url = new URL(request.url);
  return { locale, residentName: resident?.name ?? null, path: url.pathname + url.search };
}

export const handle = { i18n: ["common", "legal"] };

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? "en";
  const nonce = useNonce();
  const { t } = useTranslation();
  // A page whose route says `handle.hydrate = false` ships no scripts (components/hydration.ts).
  const hydrate = pageHydrates(useMatches().map((m) => m.handle));
  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* The page's own name goes in on the server and after each navigation (page-title.ts). */}
        <title suppressHydrationWarning>{SITE_TITLE}</title>
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("layout.skipToContent")}
        </a>
        <SiteHeader
          residentName={data?.residentName ?? null}
          locale={locale}
          returnTo={data?.path ?? "/"}
        />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("layout.footer")}</p>
          <nav aria-label={t("layout.aboutNav")}>
            <ul className="site-footer__links">
              <li>
                <a href="/accessibility">{t("layout.accessibility")}</a>
              </li>
              <li>
                <a href="/privacy">{t("layout.privacy")}</a>
              </li>
              <li>
                <a href="/contact">{t("layout.contact")}</a>
              </li>
            </ul>
          </nav>
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  const { locale } = useLoaderData<typeof loader>();
  useChangeLanguage(locale);
  usePageTitle();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <StatusMessage kind={statusKindOf(isRouteErrorResponse(error) ? error.status : 500)} />;
}
