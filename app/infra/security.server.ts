import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

/** A fresh nonce per response; Remix puts it on every script it renders. */
export function cspNonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
}

export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        // Login and payment leave the site by redirect after a form post.
        "form-action": ["'self'", "http:", "https:"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
  });
}

/**
 * Refuses a state-changing request whose Origin is not this site (cross-site request forgery).
 * Machine-to-machine endpoints authenticate otherwise (API keys, signatures) and are exempt.
 * "This site" is PUBLIC_URL and nothing else: the Host header is the sender's to choose, so an
 * attacker who sends `Origin: http://evil.example` with `Host: evil.example` proves nothing.
 */
export function originCheck(publicUrl: string, exemptPrefixes: string[]) {
  const allowed = new URL(publicUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    if (exemptPrefixes.some((p) => req.path.startsWith(p))) return next();
    const origin = req.get("origin") ?? refererOrigin(req.get("referer"));
    if (origin === allowed) return next();
    res
      .status(403)
      .type("text/plain")
      .send("Forbidden: this form must be sent from the portal itself.");
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
