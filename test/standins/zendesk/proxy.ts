// What Zendesk's request proxy does with an app's client.request(options), server-side:
// - only for `secure: true` requests, fills {{setting.name}} with the installation's settings,
//   secure ones included, each secure setting only where its manifest `scopes` allow it
//   (header, body, url, jwt_secret_key);
// - refuses secure requests to hosts missing from the manifest's domainWhitelist;
// - signs `jwt` (HS256 with the filled-in secret_key; the given claims plus iat and exp = iat + expiry)
//   and puts the token where {{jwt.token}} appears;
// - forwards the request and hands back status, type and body. The browser never sees a secure value.
import { createHmac } from "node:crypto";
import { z } from "zod";

interface ProxyParameter {
  name: string;
  secure?: boolean;
  scopes?: string[];
}

export interface ProxyConfig {
  settings: Record<string, string | number | boolean | null>;
  parameters: ProxyParameter[];
  domainWhitelist: string[];
  clock: () => Date;
}

const requestOptionsSchema = z.object({
  url: z.string().min(1),
  type: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
  contentType: z.string().optional(),
  data: z.union([z.string(), z.record(z.unknown())]).optional(),
  headers: z.record(z.string()).default({}),
  secure: z.boolean().default(false),
  cors: z.boolean().optional(),
  jwt: z
    .object({
      algorithm: z.string(),
      secret_key: z.string(),
      expiry: z.number().int().positive().optional(),
      claims: z.record(z.unknown()).default({}),
    })
    .optional(),
});
export type RequestOptions = z.input<typeof requestOptionsSchema>;

/** What the parent page turns into the app's done/fail callbacks. */
export interface ProxyAnswer {
  status: number;
  statusText: string;
  contentType: string | null;
  responseText: string;
}

/** The request as it left the proxy: what the backend receives. */
export interface ForwardedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export class ProxyRefusal extends Error {}

type Scope = "header" | "body" | "url" | "jwt_secret_key";
const DEFAULT_JWT_EXPIRY_SECONDS = 60;

function fill(text: string, scope: Scope, config: ProxyConfig): string {
  return text.replace(/\{\{setting\.([\w-]+)\}\}/g, (placeholder, name: string) => {
    if (!(name in config.settings)) return placeholder;
    const parameter = config.parameters.find((p) => p.name === name);
    if (parameter?.secure && !(parameter.scopes ?? []).includes(scope)) {
      throw new ProxyRefusal(`The secure setting "${name}" may not be used in the request ${scope.replace("_", " ")}`);
    }
    return String(config.settings[name] ?? "");
  });
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function signHs256(claims: Record<string, unknown>, secret: string): string {
  const input = `${base64url(JSON.stringify({ typ: "JWT", alg: "HS256" }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** Claims may not carry secure settings: they travel readable in the token. */
function fillClaims(claims: Record<string, unknown>, config: ProxyConfig): Record<string, unknown> {
  const json = JSON.stringify(claims).replace(/\{\{setting\.([\w-]+)\}\}/g, (placeholder, name: string) => {
    const parameter = config.parameters.find((p) => p.name === name);
    if (parameter?.secure) throw new ProxyRefusal(`The secure setting "${name}" may not be used in JWT claims`);
    return name in config.settings ? JSON.stringify(String(config.settings[name] ?? "")).slice(1, -1) : placeholder;
  });
  return JSON.parse(json) as Record<string, unknown>;
}

/** Turns app request options into the request the backend receives, or refuses like Zendesk. */
export function prepareRequest(input: RequestOptions, config: ProxyConfig): ForwardedRequest {
  const options = requestOptionsSchema.parse(input);
  const url = options.secure ? fill(options.url, "url", config) : options.url;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new ProxyRefusal(`The proxy only forwards absolute URLs, not ${url}`);
  }
  if (options.secure && !config.domainWhitelist.includes(target.hostname)) {
    throw new ProxyRefusal(`${target.hostname} is not in the app's domainWhitelist, so secure settings cannot be sent there`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers)) headers[name] = options.secure ? fill(value, "header", config) : value;
  let body: string | undefined;
  if (options.data !== undefined && options.type !== "GET") {
    // jQuery, under ZAF, form-encodes objects; apps send JSON as a string.
    const raw = typeof options.data === "string" ? options.data : new URLSearchParams(Object.entries(options.data).map(([k, v]) => [k, String(v)])).toString();
    body = options.secure ? fill(raw, "body", config) : raw;
    headers["Content-Type"] = options.contentType ?? "application/x-www-form-urlencoded; charset=UTF-8";
  }
  if (options.jwt) {
    if (options.jwt.algorithm !== "HS256") throw new ProxyRefusal(`Unsupported JWT algorithm ${options.jwt.algorithm}`);
    const secret = options.secure ? fill(options.jwt.secret_key, "jwt_secret_key", config) : options.jwt.secret_key;
    const iat = Math.floor(config.clock().getTime() / 1000);
    const claims = {
      ...(options.secure ? fillClaims(options.jwt.claims, config) : options.jwt.claims),
      iat,
      exp: iat + (options.jwt.expiry ?? DEFAULT_JWT_EXPIRY_SECONDS),
    };
    const token = signHs256(claims, secret);
    for (const name of Object.keys(headers)) headers[name] = headers[name].replaceAll("{{jwt.token}}", token);
  }
  return { method: options.type, url: target.toString(), headers, body };
}

/** Sends the prepared request; a refusal or a network failure becomes status 0 or 4xx like the proxy's. */
export async function forward(request: ForwardedRequest, timeoutMs = 15_000): Promise<ProxyAnswer> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    return { status: response.status, statusText: response.statusText, contentType: response.headers.get("content-type"), responseText: await response.text() };
  } catch {
    return { status: 0, statusText: "error", contentType: null, responseText: "" };
  }
}
