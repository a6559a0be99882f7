/**
 * Caches one access token until shortly before it expires, and makes concurrent callers share
 * a single fetch. `invalidate()` drops it, for when the service says the token is no longer good.
 */
export type FetchedToken = { accessToken: string; expiresInSeconds: number };

export class TokenCache {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => number = Date.now,
    /** Renew this long before expiry, so a token never expires on its way to the service. */
    private readonly skewMs = 30_000,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt - this.skewMs) return this.token.value;
    this.pending ??= this.fetchToken()
      .then(({ accessToken, expiresInSeconds }) => {
        this.token = { value: accessToken, expiresAt: this.now() + expiresInSeconds * 1000 };
        return accessToken;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  invalidate(): void {
    this.token = null;
  }
}
