// A ZAF client for component tests that behaves like the real one at its boundary: get() answers
// { path: value, errors }, request() resolves with the parsed body or rejects with a jqXHR-like
// { status, responseText, responseJSON }, and Zendesk API calls (/api/v2/...) are answered like Zendesk.
// Backend calls are checked for what Zendesk's proxy needs (secure, jwt, placeholder header) and
// handed to `backend` with the parsed JSON body.
import type { ZafClient, ZafContext, ZafGetResult, ZafMetadata, ZafRequestOptions } from "../zaf";

export interface FakeTicket {
  id: number;
  requester: { name: string; email: string } | null;
  customFields: Record<number, string | null>;
}

interface FakeAgent {
  id: number;
  name: string;
  email: string;
  locale: string;
}

export interface BackendCall {
  method: string;
  path: string;
  body: unknown;
  options: ZafRequestOptions;
}

interface BackendReply {
  status: number;
  body: unknown;
}

export interface InternalNote {
  ticketId: number;
  body: string;
  public: boolean;
}

export interface FakeZafOptions {
  ticket: FakeTicket;
  settings: Record<string, string | number | null>;
  backend: (call: BackendCall) => BackendReply | Promise<BackendReply>;
  agent?: FakeAgent;
  subdomain?: string;
  /** Makes the ticket API fail, as when the agent lost permission or Zendesk is down. */
  failNotes?: boolean;
}

const DEFAULT_AGENT: FakeAgent = { id: 901, name: "Jane Agent", email: "jane@support.example", locale: "en-US" };

type Handler = (data?: unknown) => void;

export class FakeZafClient implements ZafClient {
  readonly backendCalls: BackendCall[] = [];
  readonly notes: InternalNote[] = [];
  readonly invoked: Array<{ name: string; args: unknown[] }> = [];
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(private readonly options: FakeZafOptions) {}

  private values(): Record<string, unknown> {
    const { ticket, subdomain = "acme" } = this.options;
    const agent = this.options.agent ?? DEFAULT_AGENT;
    const values: Record<string, unknown> = {
      "ticket.id": ticket.id,
      "ticket.requester.name": ticket.requester?.name ?? null,
      "ticket.requester.email": ticket.requester?.email ?? null,
      "currentUser.id": agent.id,
      "currentUser.name": agent.name,
      "currentUser.email": agent.email,
      "currentUser.locale": agent.locale,
      "currentAccount.subdomain": subdomain,
    };
    for (const [id, value] of Object.entries(ticket.customFields)) values[`ticket.customField:custom_field_${id}`] = value;
    return values;
  }

  async get(paths: string | string[]): Promise<ZafGetResult> {
    const values = this.values();
    const result: ZafGetResult = { errors: {} };
    for (const path of Array.isArray(paths) ? paths : [paths]) {
      if (path in values) result[path] = values[path];
      else result.errors![path] = { message: `"${path}" Could not find handler for: "${path}"` };
    }
    return result;
  }

  async set(path: string, value: unknown): Promise<unknown> {
    const match = /^ticket\.customField:custom_field_(\d+)$/.exec(path);
    if (!match) throw new Error(`Cannot set ${path}`);
    this.options.ticket.customFields[Number(match[1])] = value as string | null;
    return { [path]: value, errors: {} };
  }

  async invoke(name: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ name, args });
    return { errors: {} };
  }

  on(event: string, handler: Handler): void {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(handler);
  }

  off(event: string, handler: Handler): void {
    this.handlers.get(event)?.delete(handler);
  }

  /** What Zendesk does when the event happens (the test plays Zendesk). */
  emit(event: string, data?: unknown): void {
    for (const handler of this.handlers.get(event) ?? []) handler(data);
  }

  listeners(event: string): number {
    return this.handlers.get(event)?.size ?? 0;
  }

  async context(): Promise<ZafContext> {
    return { product: "support", location: "ticket_sidebar", instanceGuid: "fake-guid", ticketId: this.options.ticket.id };
  }

  async metadata(): Promise<ZafMetadata> {
    return { appId: 1, installationId: 2, name: "Checkout.com payments", settings: this.options.settings };
  }

  async request<T = unknown>(options: ZafRequestOptions): Promise<T> {
    const body = options.data === undefined ? undefined : JSON.parse(options.data);
    const ticketApi = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(options.url);
    if (ticketApi) {
      if (this.options.failNotes) throw { status: 403, statusText: "Forbidden", responseText: '{"error":"Forbidden"}' };
      if (options.type !== "PUT") throw { status: 405, responseText: "" };
      const comment = (body as { ticket?: { comment?: { body?: string; public?: boolean } } }).ticket?.comment;
      if (!comment?.body) throw { status: 422, responseText: '{"error":"RecordInvalid"}' };
      this.notes.push({ ticketId: Number(ticketApi[1]), body: comment.body, public: comment.public !== false });
      return { ticket: { id: Number(ticketApi[1]) } } as T;
    }
    const base = String(this.options.settings.backend_url ?? "");
    if (!base || !options.url.startsWith(base)) throw { status: 0, statusText: "error", responseText: "" };
    if (!options.secure || options.jwt?.secret_key !== "{{setting.shared_secret}}" || options.headers?.Authorization !== "Bearer {{jwt.token}}") {
      // Without these the proxy would send no signed token and the backend answers 401.
      throw { status: 401, responseText: "", responseJSON: undefined };
    }
    const call: BackendCall = { method: options.type ?? "GET", path: options.url.slice(base.length), body, options };
    this.backendCalls.push(call);
    const reply = await this.options.backend(call);
    if (reply.status >= 400) {
      throw { status: reply.status, statusText: "error", responseText: JSON.stringify(reply.body), responseJSON: reply.body };
    }
    return reply.body as T;
  }
}
