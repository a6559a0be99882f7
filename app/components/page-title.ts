import { useLocation } from "@remix-run/react";
import { useEffect } from "react";

/*
 * Every page's title names the page (WCAG 2.1, 2.4.2 Page Titled): its main heading, then the
 * service, "My unpaid bills – Kravportal". The heading is the one text every page already has in
 * the reader's language, so no second title per route can drift from it. The server puts it into
 * the HTML it sends (pages without JavaScript, and the first view of any page); a page that
 * navigates in the browser sets it again from the new heading.
 */

export const SITE_TITLE = "Kravportal";
const PLACEHOLDER = `<title>${SITE_TITLE}</title>`;
const FIRST_H1 = /<h1\b[^>]*>([\s\S]*?)<\/h1>/;

/** The title for a heading's text: "Heading – Kravportal", or the service alone. */
export function pageTitle(heading: string): string {
  const text = heading.replace(/\s+/g, " ").trim();
  return text ? `${text} – ${SITE_TITLE}` : SITE_TITLE;
}

/**
 * The rendered page with its first heading in its title. The heading's inner HTML is already
 * escaped (React wrote it): its tags are dropped, its entities stay entities, which a title reads
 * as text.
 */
export function withPageTitle(html: string): string {
  const match = FIRST_H1.exec(html);
  if (!match || !html.includes(PLACEHOLDER)) return html;
  const title = pageTitle(match[1]!.replace(/<[^>]*>/g, " "));
  return html.replace(PLACEHOLDER, `<title>${title}</title>`);
}

/** In the browser: after each navigation, the title from the new page's heading. */
export function usePageTitle(): void {
  const location = useLocation();
  useEffect(() => {
    const heading = document.querySelector("main h1");
    if (heading) document.title = pageTitle(heading.textContent ?? "");
  }, [location.key]);
}
