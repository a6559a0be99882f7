// For tests that drive an OIDC login without a real browser (the local test eID, the staff IdP).
import { createServer } from "node:net";

// Ports handed out by this process, so two calls never return the same one before either listens.
const handedOut = new Set<number>();

/** Whether something could listen on `port` on the loopback address right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/**
 * A port nothing listens on right now, between 26,000 and 30,999: below Linux's ephemeral range
 * (32768–60999), where any outgoing connection may take a port between our check and the server
 * starting (a suite once failed with EADDRINUSE on 39270 that way); above the test Stripe
 * stand-in's 21,000–24,999 and the test database's 25,000–25,499 (setup-env.ts, global-setup.ts).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 26_000 + Math.floor(Math.random() * 5_000);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free port between 26,000 and 30,999");
}

/** Just enough of a browser: one cookie per name (paths ignored), redirects followed by hand. */
export class Browser {
  private cookies = new Map<string, string>();

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (init.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await fetch(url, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      redirect: "manual",
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
    return res;
  }

  /** Follows redirects until one points at `stopAt` (returned, not fetched) or a non-redirect arrives. */
  async follow(
    start: Response,
    from: string,
    stopAt: string,
  ): Promise<{ url: string; res?: Response }> {
    let res = start;
    let url = from;
    while (res.status >= 300 && res.status < 400) {
      const location = res.headers.get("location");
      if (!location) throw new Error(`redirect without location from ${url}`);
      url = new URL(location, url).href;
      if (url.startsWith(stopAt)) return { url };
      res = await this.request(url);
    }
    return { url, res };
  }
}
