// Who may call the Zendesk stand-in's Support API, like Zendesk decides it: OAuth (authorization code with
// PKCE S256 for an operator's global OAuth client, refresh token rotation, revocation), API tokens
// (Basic `email/token:apitoken`), and the signed-in agent's session cookie (the workspace page's own
// /api/v2 calls). It also plays Zendesk's rate limit (429 with Retry-After) on demand.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type http from "node:http";
import { z } from "zod";
import type { AgentConfig } from "./tickets";

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URLs registered for the client. */
  redirectUris: string[];
}

interface Grant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  expiresAt: number;
}

interface IssuedToken {
  scope: string;
  expiresAt: number;
  refreshToken: string | null;
}

type Send = (res: http.ServerResponse, status: number, body: unknown, type?: string) => void;

const CODE_TTL_MS = 10 * 60_000;
const SESSION_COOKIE = "_zendesk_session";
const INVALID_TOKEN = {
  error: "invalid_token",
  error_description: "The access token provided is expired, revoked, malformed or invalid for other reasons.",
};

const authorizeSchema = z.object({
  response_type: z.literal("code"),
  client_id: z.string().min(1),
  redirect_uri: z.string().url(),
  scope: z.string().min(1),
  state: z.string().optional(),
  code_challenge: z.string().min(43).max(128),
  code_challenge_method: z.literal("S256"),
});
const decisionSchema = authorizeSchema.extend({ decision: z.enum(["allow", "deny"]) });
const tokenSchema = z.discriminatedUnion("grant_type", [
  z.object({
    grant_type: z.literal("authorization_code"),
    code: z.string().min(1),
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    redirect_uri: z.string().min(1),
    code_verifier: z.string().min(43).max(128),
    scope: z.string().optional(),
    expires_in: z.coerce.number().int().min(300).max(172_800).optional(),
  }),
  z.object({
    grant_type: z.literal("refresh_token"),
    refresh_token: z.string().min(1),
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    scope: z.string().optional(),
    expires_in: z.coerce.number().int().min(300).max(172_800).optional(),
  }),
]);

const newToken = () => randomBytes(32).toString("hex");
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function readForm(req: http.IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/json")) return JSON.parse(text || "{}") as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(text));
}

function consentPage(client: string, params: z.infer<typeof authorizeSchema>): string {
  const hidden = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(String(value ?? ""))}">`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Allow access – Zendesk (local stand-in)</title></head>
<body style="font:14px system-ui;margin:48px auto;max-width:420px">
<h1>Allow access?</h1><p><strong>${escapeHtml(client)}</strong> asks to read and write your Zendesk Support data (${escapeHtml(params.scope)}).</p>
<form method="post" action="/oauth/authorizations">${hidden}
<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button></form></body></html>`;
}

export class ZendeskAuthServer {
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, { scope: string }>();
  private readonly apiTokens = new Set<string>();
  private readonly sessions = new Set<string>();
  private throttled = { remaining: 0, retryAfterSeconds: 0 };

  constructor(private readonly options: { client?: OAuthClientConfig; agent: AgentConfig; clock: () => Date; send: Send }) {}

  /** A valid bearer token, as if an admin had just allowed the OAuth client (no expiry unless given). */
  issueAccessToken(scope = "read write", expiresInSeconds?: number): string {
    return this.issue(scope, expiresInSeconds, false).access_token;
  }

  addApiToken(email: string, token: string): void {
    this.apiTokens.add(`${email.toLowerCase()}/token:${token}`);
  }

  /** As an admin revoking the app's access in Admin Center: every OAuth token stops working. */
  revokeAllTokens(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** The next `count` API calls answer 429 with Retry-After. */
  throttleNext(count: number, retryAfterSeconds: number): void {
    this.throttled = { remaining: count, retryAfterSeconds };
  }

  /** A Set-Cookie value signing the agent in, for the workspace page's own /api/v2 calls. */
  newSessionCookie(): string {
    const session = newToken();
    this.sessions.add(session);
    return `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`;
  }

  /** Answers the OAuth endpoints and the calls about the caller itself; false when the path is not one. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const { send } = this.options;
    const method = req.method ?? "GET";
    if (method === "GET" && url.pathname === "/oauth/authorizations/new") {
      const params = authorizeSchema.safeParse(Object.fromEntries(url.searchParams));
      const client = this.options.client;
      // Like Zendesk: an unknown client or redirect URL gets an error page, never a redirect.
      if (!params.success) send(res, 400, `Invalid authorization request: ${params.error.issues.map((i) => i.path.join(".")).join(", ")}`, "text/plain");
      else if (!client || params.data.client_id !== client.clientId) send(res, 400, "Invalid OAuth client", "text/plain");
      else if (!client.redirectUris.includes(params.data.redirect_uri)) send(res, 400, "The redirect URL is not registered for this client", "text/plain");
      else send(res, 200, consentPage(client.clientId, params.data), "text/html; charset=utf-8");
      return true;
    }
    if (method === "POST" && url.pathname === "/oauth/authorizations") {
      const params = decisionSchema.safeParse(await readForm(req));
      const client = this.options.client;
      if (!params.success || !client || params.data.client_id !== client.clientId || !client.redirectUris.includes(params.data.redirect_uri)) {
        send(res, 400, "Invalid authorization request", "text/plain");
        return true;
      }
      const target = new URL(params.data.redirect_uri);
      if (params.data.state !== undefined) target.searchParams.set("state", params.data.state);
      if (params.data.decision === "deny") {
        target.searchParams.set("error", "access_denied");
        target.searchParams.set("error_description", "The end-user or authorization server denied the request.");
      } else {
        const code = newToken();
        this.grants.set(code, {
          clientId: client.clientId,
          redirectUri: params.data.redirect_uri,
          codeChallenge: params.data.code_challenge,
          scope: params.data.scope,
          expiresAt: this.now() + CODE_TTL_MS,
        });
        target.searchParams.set("code", code);
      }
      res.writeHead(302, { Location: target.toString() }).end();
      return true;
    }
    if (method === "POST" && url.pathname === "/oauth/tokens") {
      this.token(await readForm(req), res);
      return true;
    }
    if (url.pathname === "/api/v2/oauth/tokens/current.json" && method === "DELETE") {
      const bearer = this.bearerOf(req);
      if (!bearer || !this.accessTokens.has(bearer)) send(res, 401, INVALID_TOKEN);
      else {
        const refresh = this.accessTokens.get(bearer)!.refreshToken;
        this.accessTokens.delete(bearer);
        if (refresh) this.refreshTokens.delete(refresh);
        res.writeHead(204).end();
      }
      return true;
    }
    return false;
  }

  /** Gatekeeper for /api/v2/*: false when it has already answered 429 or 401. */
  admit(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const { send } = this.options;
    if (this.throttled.remaining > 0) {
      this.throttled.remaining -= 1;
      res.setHeader("Retry-After", String(this.throttled.retryAfterSeconds));
      send(res, 429, { error: "APIRateLimitExceeded", description: "Number of allowed API requests per minute exceeded" });
      return false;
    }
    const authorization = req.headers.authorization ?? "";
    if (authorization.startsWith("Bearer ")) {
      const issued = this.accessTokens.get(authorization.slice(7));
      if (issued && issued.expiresAt > this.now()) return true;
      send(res, 401, INVALID_TOKEN);
      return false;
    }
    if (authorization.startsWith("Basic ")) {
      const [email, ...rest] = Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":");
      if (this.apiTokens.has(`${email.toLowerCase()}:${rest.join(":")}`)) return true;
      send(res, 401, { error: "Couldn't authenticate you" });
      return false;
    }
    const session = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=(\\w+)`).exec(req.headers.cookie ?? "")?.[1];
    if (session && this.sessions.has(session)) return true;
    send(res, 401, { error: "Couldn't authenticate you" });
    return false;
  }

  /** GET /api/v2/users/me.json for an admitted request: the agent, under the API token's email if Basic. */
  me(req: http.IncomingMessage): Record<string, unknown> {
    const { agent } = this.options;
    const authorization = req.headers.authorization ?? "";
    const email = authorization.startsWith("Basic ") ? Buffer.from(authorization.slice(6), "base64").toString("utf8").split("/token:")[0] : agent.email;
    return { user: { id: agent.id, name: agent.name, email, role: "admin", locale: agent.locale, active: true, verified: true } };
  }

  private token(form: Record<string, string>, res: http.ServerResponse): void {
    const { send, client } = this.options;
    const parsed = tokenSchema.safeParse(form);
    if (!parsed.success) return send(res, 400, { error: "invalid_request", error_description: parsed.error.issues.map((i) => i.path.join(".")).join(", ") });
    const body = parsed.data;
    if (!client || body.client_id !== client.clientId || !sameText(body.client_secret, client.clientSecret)) {
      return send(res, 401, { error: "invalid_client", error_description: "Client authentication failed." });
    }
    const invalidGrant = () =>
      send(res, 400, { error: "invalid_grant", error_description: "The provided authorization grant is invalid, expired, revoked, or does not match." });
    if (body.grant_type === "authorization_code") {
      const grant = this.grants.get(body.code);
      this.grants.delete(body.code); // a code works once
      const challenge = createHash("sha256").update(body.code_verifier).digest("base64url");
      if (
        !grant ||
        grant.expiresAt <= this.now() ||
        grant.clientId !== body.client_id ||
        grant.redirectUri !== body.redirect_uri ||
        grant.codeChallenge !== challenge
      ) {
        return invalidGrant();
      }
      return send(res, 200, this.issue(grant.scope, body.expires_in ?? 7200, true));
    }
    const refresh = this.refreshTokens.get(body.refresh_token);
    if (!refresh) return invalidGrant();
    // Rotation: the old refresh token and its access tokens stop working.
    this.refreshTokens.delete(body.refresh_token);
    for (const [token, issued] of this.accessTokens) if (issued.refreshToken === body.refresh_token) this.accessTokens.delete(token);
    send(res, 200, this.issue(refresh.scope, body.expires_in ?? 7200, true));
  }

  private issue(scope: string, expiresInSeconds: number | undefined, withRefresh: boolean) {
    const accessToken = newToken();
    const refreshToken = withRefresh ? newToken() : null;
    const expiresAt = expiresInSeconds === undefined ? Number.POSITIVE_INFINITY : this.now() + expiresInSeconds * 1000;
    this.accessTokens.set(accessToken, { scope, expiresAt, refreshToken });
    if (refreshToken) this.refreshTokens.set(refreshToken, { scope });
    return {
      access_token: accessToken,
      token_type: "bearer",
      scope,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(expiresInSeconds === undefined ? {} : { expires_in: expiresInSeconds }),
    };
  }

  private bearerOf(req: http.IncomingMessage): string | null {
    const authorization = req.headers.authorization ?? "";
    return authorization.startsWith("Bearer ") ? authorization.slice(7) : null;
  }

  private now(): number {
    return this.options.clock().getTime();
  }
}
