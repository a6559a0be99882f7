import { describe, expect, it } from "vitest";
import { withPageTitle } from "./page-title";

describe("a page's title", () => {
  it("is its main heading, then the service", () => {
    const html =
      "<html><head><title>Kravportal</title></head><body><main>" +
      '<h1 class="x">EK-2026-5003 <span class="subtitle">Elvdal &amp; Co – Vann</span></h1>' +
      "<h1>Not this one</h1></main></body></html>";
    expect(withPageTitle(html)).toContain(
      "<title>EK-2026-5003 Elvdal &amp; Co – Vann – Kravportal</title>",
    );
  });

  it("stays the service's name where there is no heading", () => {
    const html = "<html><head><title>Kravportal</title></head><body></body></html>";
    expect(withPageTitle(html)).toBe(html);
  });
});
