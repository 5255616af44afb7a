// A local stand-in for Zendesk Support's agent workspace, on loopback, for tests and the demo: it frames
// the built sidebar app (zendesk-app/dist/assets, served from a second origin like Zendesk's app host)
// on a ticket page, answers the ZAF SDK's messages (workspace.client.js), keeps tickets and their
// comments (Support API /api/v2/tickets...), and proxies client.request() like Zendesk (proxy.ts).
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { manifestFor, type AppManifest } from "../../../zendesk-app/scripts/manifest";
import { BUILT_ASSETS_DIR } from "../../../zendesk-app/scripts/size";
import { ZendeskAuthServer, type OAuthClientConfig } from "./oauth";
import { forward, prepareRequest, ProxyRefusal, type ForwardedRequest, type ProxyAnswer } from "./proxy";
import { AppsApi, type StandInApp, type StandInInstallation } from "./apps-api";
import { SearchApi } from "./search";
import { SupportApi } from "./support-api";
import { commentsJson, TicketStore, ticketJson, zafGet, type AgentConfig, type Ticket, type TicketConfig } from "./tickets";
import { workspacePage, type WorkspaceBootstrap } from "./workspace";

export interface ZendeskStandInOptions {
  /**
   * A sidebar installed by hand (uploaded, its settings typed in), secure settings included (they stay on
   * the server), served from appAssetsDir. Without it the workspace shows no app until one is installed
   * through the Apps API; once one is, the workspace shows that app, from the package uploaded.
   */
  settings?: Record<string, string | number | boolean | null>;
  tickets: TicketConfig[];
  /** Of the app installed by hand. Default: zendesk-app/manifest.json as packaged for settings.backend_url. */
  manifest?: AppManifest;
  /** Default: zendesk-app/dist/assets (npm run zendesk:build). */
  appAssetsDir?: string;
  agent?: AgentConfig;
  subdomain?: string;
  /** Default 127.0.0.1; both servers listen there. */
  host?: string;
  /** Default 0 (any free port) for the workspace and for the app's asset host. */
  port?: number;
  appPort?: number;
  clock?: () => Date;
  /** The operator's global OAuth client, for the authorization code flow (oauth.ts). */
  oauth?: OAuthClientConfig;
}

interface ProxiedRequest extends ForwardedRequest {
  status: number;
}

export interface ZendeskStandIn {
  /** The workspace origin, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The origin the app's assets are served from (another port, so another origin). */
  appOrigin: string;
  ticketUrl(ticketId: number): string;
  tickets: TicketStore;
  /** Requests the proxy sent to the backend, as sent (signed token included). */
  proxied: ProxiedRequest[];
  /** As an agent editing a ticket field: stores it and tells the app. */
  setField(ticketId: number, fieldId: number, value: string | number | null): void;
  /** Sends a ZAF event (e.g. "app.activated") to the app on that ticket's page, if it listens. */
  emit(ticketId: number, name: string, data?: unknown): void;
  /** Private apps built through the Apps API, and their installations (secure settings included). */
  apps: ReadonlyMap<number, StandInApp>;
  installations: ReadonlyMap<number, StandInInstallation>;
  /** A valid OAuth bearer token for the Support API, as after an admin's consent. */
  issueAccessToken(): string;
  /** Makes Basic `email/token:token` valid for the Support API. */
  addApiToken(email: string, token: string): void;
  /** As an admin revoking the OAuth client's access: every access and refresh token stops working. */
  revokeAllTokens(): void;
  /** The next `count` Support API calls answer 429 with Retry-After: retryAfterSeconds. */
  throttleNext(count: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}

/** An app as the workspace shows it: its manifest, settings and files. */
interface InstalledSidebar {
  appId: number;
  installationId: number;
  manifest: AppManifest;
  settings: Record<string, string | number | boolean | null>;
  asset(name: string): Uint8Array | null;
}

const DEFAULT_AGENT: AgentConfig = { id: 9001, name: "Jane Agent", email: "jane.agent@example.com", locale: "en-US" };
const APP_GUID = "7c2a4b6e-standin-app";
const WORKSPACE_SCRIPT = fileURLToPath(new URL("./workspace.client.js", import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

const getSchema = z.object({ ticketId: z.number().int(), paths: z.array(z.string()) });
const setSchema = z.object({ ticketId: z.number().int(), values: z.record(z.union([z.string(), z.number(), z.null()])) });
const requestSchema = z.object({ ticketId: z.number().int(), options: z.record(z.unknown()) });
const ticketUpdateSchema = z.object({
  ticket: z.object({
    comment: z.object({ body: z.string().min(1), public: z.boolean().default(true) }).optional(),
    custom_fields: z.array(z.object({ id: z.number().int(), value: z.union([z.string(), z.number(), z.null()]) })).optional(),
  }),
});

async function readBytes(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const readBody = async (req: http.IncomingMessage) => (await readBytes(req)).toString("utf8");

function send(res: http.ServerResponse, status: number, body: unknown, type = "application/json; charset=utf-8"): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

async function listen(server: http.Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  return `http://${host}:${actual}`;
}

export async function createZendeskStandIn(options: ZendeskStandInOptions): Promise<ZendeskStandIn> {
  const host = options.host ?? "127.0.0.1";
  const clock = options.clock ?? (() => new Date());
  const agent = options.agent ?? DEFAULT_AGENT;
  const subdomain = options.subdomain ?? "acme";
  const assetsDir = options.appAssetsDir ?? BUILT_ASSETS_DIR;
  const tickets = new TicketStore(options.tickets, agent, clock);
  const supportApi = new SupportApi(tickets, agent, send);
  const searchApi = new SearchApi(tickets, agent, send);
  const appsApi = new AppsApi(send, clock);
  const auth = new ZendeskAuthServer({ client: options.oauth, agent, clock, send });
  const proxied: ProxiedRequest[] = [];
  const streams = new Map<number, Set<http.ServerResponse>>();
  const byHand: InstalledSidebar | null = options.settings
    ? {
        appId: 1,
        installationId: 1,
        manifest: options.manifest ?? manifestFor(String(options.settings.backend_url)),
        settings: options.settings,
        asset: (name) => (existsSync(join(assetsDir, name)) ? readFileSync(join(assetsDir, name)) : null),
      }
    : null;
  // The sidebar agents see: the latest installation made through the Apps API, from its app's uploaded
  // package, else the one installed by hand (the Support API works without either).
  const installed = (): InstalledSidebar | null => {
    const installation = [...appsApi.installations.values()].filter((i) => i.enabled).at(-1);
    const app = installation && appsApi.apps.get(installation.appId);
    if (!installation || !app) return byHand;
    return {
      appId: app.id,
      installationId: installation.id,
      manifest: JSON.parse(new TextDecoder().decode(app.files["manifest.json"])) as AppManifest,
      settings: installation.settings as InstalledSidebar["settings"],
      asset: (name) => app.files[`assets/${name}`] ?? null,
    };
  };

  const emit = (ticketId: number, name: string, data?: unknown) => {
    for (const res of streams.get(ticketId) ?? []) res.write(`data: ${JSON.stringify({ name, data })}\n\n`);
  };
  const changeField = (ticket: Ticket, fieldId: number, value: string | number | null) => {
    tickets.setField(ticket.id, fieldId, value);
    emit(ticket.id, `ticket.custom_field_${fieldId}.changed`, value);
  };

  const appServer = http.createServer((req, res) => {
    const name = /^\/assets\/([\w.-]+)$/.exec(new URL(req.url ?? "/", "http://x").pathname)?.[1];
    const bytes = req.method === "GET" && name ? installed()?.asset(name) : null;
    if (!name || !bytes) return send(res, 404, "Not found", "text/plain");
    send(res, 200, Buffer.from(bytes), CONTENT_TYPES[extname(name)] ?? "application/octet-stream");
  });
  const appOrigin = await listen(appServer, host, options.appPort ?? 0);

  let url = "";
  const ticketFrom = (id: number, res: http.ServerResponse): Ticket | null => {
    const ticket = tickets.get(id);
    if (!ticket) send(res, 404, { error: "RecordNotFound", description: "Not found" });
    return ticket ?? null;
  };

  async function proxy(ticketId: number, requestOptions: Record<string, unknown>): Promise<ProxyAnswer> {
    try {
      const sidebar = installed();
      if (!sidebar) throw new ProxyRefusal("No app is installed");
      const prepared = prepareRequest(requestOptions as never, {
        settings: sidebar.settings,
        parameters: sidebar.manifest.parameters,
        domainWhitelist: sidebar.manifest.domainWhitelist,
        clock,
      });
      const answer = await forward(prepared);
      proxied.push({ ...prepared, status: answer.status });
      return answer;
    } catch (e) {
      const message = e instanceof ProxyRefusal || e instanceof z.ZodError ? e.message : "Proxy error";
      return { status: 400, statusText: "Bad Request", contentType: "application/json", responseText: JSON.stringify({ error: message, ticketId }) };
    }
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? "/", url);
    const { pathname, searchParams } = requestUrl;
    const method = req.method ?? "GET";
    let m: RegExpExecArray | null;
    if (await auth.handle(req, res, requestUrl)) return;
    if (pathname.startsWith("/api/v2/") && !auth.admit(req, res)) return;
    if (await supportApi.handle(req, res, requestUrl, () => readBody(req))) return;
    if (searchApi.handle(req, res, requestUrl)) return;
    if (await appsApi.handle(req, res, requestUrl, () => readBytes(req))) return;

    if (method === "GET" && pathname === "/") {
      res.writeHead(302, { Location: `/agent/tickets/${options.tickets[0]?.id ?? 1}` }).end();
    } else if (method === "GET" && (m = /^\/agent\/tickets\/(\d+)$/.exec(pathname))) {
      const sidebar = installed();
      if (sidebar && !sidebar.asset("iframe.html")) return send(res, 503, `No built sidebar in ${assetsDir}: run npm run zendesk:build first`, "text/plain");
      const ticket = ticketFrom(Number(m[1]), res);
      if (!ticket) return;
      // The signed-in agent: the page's own /api/v2 calls go with this session, like Zendesk's.
      res.setHeader("Set-Cookie", auth.newSessionCookie());
      const secure = new Set(sidebar?.manifest.parameters.filter((p) => p.secure).map((p) => p.name));
      const boot: WorkspaceBootstrap = {
        ticketId: ticket.id,
        appOrigin,
        context: { product: "support", location: "ticket_sidebar", instanceGuid: APP_GUID, ticketId: ticket.id, account: { subdomain } },
        app: sidebar && {
          url: `${appOrigin}/assets/iframe.html?origin=${encodeURIComponent(url)}&app_guid=${APP_GUID}`,
          metadata: {
            appId: sidebar.appId,
            installationId: sidebar.installationId,
            name: String(sidebar.manifest.name),
            version: String(sidebar.manifest.version ?? "1.0.0"),
            settings: Object.fromEntries(Object.entries(sidebar.settings).filter(([name]) => !secure.has(name))),
          },
        },
      };
      send(res, 200, workspacePage(ticket, boot), "text/html; charset=utf-8");
    } else if (method === "GET" && pathname === "/workspace.js") {
      send(res, 200, readFileSync(WORKSPACE_SCRIPT), "text/javascript; charset=utf-8");
    } else if (method === "GET" && pathname === "/zaf/events") {
      const ticketId = Number(searchParams.get("ticket"));
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
      res.write(": connected\n\n");
      if (!streams.has(ticketId)) streams.set(ticketId, new Set());
      streams.get(ticketId)!.add(res);
      req.on("close", () => streams.get(ticketId)?.delete(res));
    } else if (method === "POST" && pathname === "/zaf/get") {
      const body = getSchema.parse(JSON.parse(await readBody(req)));
      const ticket = ticketFrom(body.ticketId, res);
      if (ticket) send(res, 200, { result: zafGet(ticket, agent, subdomain, body.paths) });
    } else if (method === "POST" && pathname === "/zaf/set") {
      const body = setSchema.parse(JSON.parse(await readBody(req)));
      const ticket = ticketFrom(body.ticketId, res);
      if (!ticket) return;
      const result: Record<string, unknown> = { errors: {} };
      for (const [path, value] of Object.entries(body.values)) {
        const field = /^ticket\.customField:custom_field_(\d+)$/.exec(path);
        if (field) changeField(ticket, Number(field[1]), value);
        else (result.errors as Record<string, unknown>)[path] = { name: "Error", message: `"${path}" cannot be set`, path };
        result[path] = value;
      }
      send(res, 200, { result });
    } else if (method === "POST" && pathname === "/zaf/request") {
      const body = requestSchema.parse(JSON.parse(await readBody(req)));
      send(res, 200, await proxy(body.ticketId, body.options));
    } else if (method === "GET" && pathname === "/api/v2/users/me.json") {
      send(res, 200, auth.me(req));
    } else if ((m = /^\/api\/v2\/tickets\/(\d+)\/comments\.json$/.exec(pathname)) && method === "GET") {
      const ticket = ticketFrom(Number(m[1]), res);
      if (ticket) send(res, 200, commentsJson(ticket, agent));
    } else if ((m = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(pathname))) {
      const ticket = ticketFrom(Number(m[1]), res);
      if (!ticket) return;
      if (method === "GET") return send(res, 200, { ticket: ticketJson(ticket) });
      if (method !== "PUT") return send(res, 405, { error: "MethodNotAllowed" });
      const parsed = ticketUpdateSchema.safeParse(JSON.parse((await readBody(req)) || "null"));
      if (!parsed.success) return send(res, 422, { error: "RecordInvalid", description: "Record validation errors", details: parsed.error.issues });
      const events: unknown[] = [];
      const { comment, custom_fields } = parsed.data.ticket;
      if (comment) {
        const added = tickets.addComment(ticket.id, { authorId: agent.id, body: comment.body, public: comment.public });
        events.push({ id: added.id, type: "Comment", author_id: agent.id, body: added.body, public: added.public });
      }
      for (const f of custom_fields ?? []) changeField(ticket, f.id, f.value);
      emit(ticket.id, "ticket.updated", { id: ticket.id });
      send(res, 200, { ticket: ticketJson(ticket), audit: { ticket_id: ticket.id, author_id: agent.id, events } });
    } else {
      send(res, 404, { error: "InvalidEndpoint", description: "Not found" });
    }
  }

  const workspace = http.createServer((req, res) => {
    route(req, res).catch((e) => send(res, 400, { error: "BadRequest", description: e instanceof Error ? e.message : String(e) }));
  });
  url = await listen(workspace, host, options.port ?? 0);

  return {
    url,
    appOrigin,
    ticketUrl: (ticketId) => `${url}/agent/tickets/${ticketId}`,
    tickets,
    proxied,
    setField: (ticketId, fieldId, value) => {
      const ticket = tickets.get(ticketId);
      if (!ticket) throw new Error(`no ticket ${ticketId}`);
      changeField(ticket, fieldId, value);
    },
    emit,
    apps: appsApi.apps,
    installations: appsApi.installations,
    issueAccessToken: () => auth.issueAccessToken(),
    addApiToken: (email, token) => auth.addApiToken(email, token),
    revokeAllTokens: () => auth.revokeAllTokens(),
    throttleNext: (count, retryAfterSeconds) => auth.throttleNext(count, retryAfterSeconds),
    close: async () => {
      for (const set of streams.values()) for (const res of set) res.end();
      await Promise.all(
        [workspace, appServer].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
