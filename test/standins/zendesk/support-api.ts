// The Support API's ticket endpoints beyond one ticket's page, as Zendesk answers them: create
// (POST /api/v2/tickets.json), list with a filter (GET /api/v2/tickets.json?external_id=...) and delete
// (DELETE /api/v2/tickets/{id}.json: afterwards Zendesk answers 404 for the ticket and lists it no more).
// Requests reach here already admitted (authenticated, not rate limited) by server.ts.
import type http from "node:http";
import { z } from "zod";
import { ticketJson, type AgentConfig, type TicketStore } from "./tickets";

type Send = (res: http.ServerResponse, status: number, body: unknown) => void;

const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);

const ticketCreateSchema = z.object({
  ticket: z.object({
    subject: z.string().optional(),
    comment: z.object({ body: z.string(), public: z.boolean().default(true) }).optional(),
    requester: z.object({ email: z.string(), name: z.string().optional() }).optional(),
    requester_id: id.optional(),
    external_id: z.string().nullish(),
    group_id: id.nullish(),
    tags: z.array(z.string()).optional(),
    priority: z.enum(["urgent", "high", "normal", "low"]).nullish(),
    status: z.enum(["new", "open", "pending", "hold", "solved", "closed"]).optional(),
    custom_fields: z.array(z.object({ id, value: z.union([z.string(), z.number(), z.null()]) })).optional(),
  }),
});

/** Zendesk's 422 for a record it refuses, with its details per field. */
const recordInvalid = (field: string, description: string) => ({
  error: "RecordInvalid",
  description: "Record validation errors",
  details: { [field]: [{ description, error: "InvalidValue" }] },
});

export class SupportApi {
  /** End users by email (Zendesk creates one for a new requester email), ids after the agent's. */
  private readonly users = new Map<string, { id: number; name: string; email: string }>();
  private nextUserId = 20_001;

  constructor(
    private readonly tickets: TicketStore,
    private readonly agent: AgentConfig,
    private readonly send: Send,
  ) {}

  /** Answers the endpoints above; false when the request is not one of them. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: () => Promise<string>): Promise<boolean> {
    const method = req.method ?? "GET";
    if (url.pathname === "/api/v2/tickets.json" && method === "POST") {
      this.create(res, await body());
      return true;
    }
    if (url.pathname === "/api/v2/tickets.json" && method === "GET") {
      this.list(res, url.searchParams);
      return true;
    }
    const m = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(url.pathname);
    if (m && method === "DELETE") {
      if (this.tickets.delete(Number(m[1]))) res.writeHead(204).end();
      else this.send(res, 404, { error: "RecordNotFound", description: "Not found" });
      return true;
    }
    return false;
  }

  private requesterFor(requester: { email: string; name?: string }) {
    const email = requester.email.trim().toLowerCase();
    if (email === this.agent.email.toLowerCase()) return { id: this.agent.id, name: this.agent.name, email: this.agent.email };
    let user = this.users.get(email);
    if (!user) {
      user = { id: this.nextUserId++, name: requester.name || email.split("@")[0], email };
      this.users.set(email, user);
    }
    return user;
  }

  private create(res: http.ServerResponse, text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text || "null");
    } catch {
      return this.send(res, 400, { error: "Unprocessable Entity", description: "Invalid JSON" });
    }
    const parsed = ticketCreateSchema.safeParse(json);
    if (!parsed.success) return this.send(res, 422, recordInvalid("base", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")));
    const t = parsed.data.ticket;
    if (!t.comment?.body.trim()) return this.send(res, 422, recordInvalid("base", "Description: cannot be blank"));
    if (t.requester && !z.string().email().safeParse(t.requester.email.trim()).success)
      return this.send(res, 422, recordInvalid("requester", "Requester: Email is invalid"));
    const byId = t.requester_id === undefined ? undefined : [...this.users.values(), this.agent].find((u) => u.id === t.requester_id);
    if (t.requester_id !== undefined && !byId) return this.send(res, 422, recordInvalid("requester", "Requester: is invalid"));
    const requester = t.requester ? this.requesterFor(t.requester) : byId ? { id: byId.id, name: byId.name, email: byId.email } : this.requesterFor(this.agent);
    const ticket = this.tickets.create({
      subject: t.subject ?? t.comment.body.split("\n")[0].slice(0, 80),
      status: t.status ?? "new",
      requester,
      externalId: t.external_id ?? null,
      groupId: t.group_id ?? null,
      tags: [...new Set(t.tags ?? [])],
      priority: t.priority ?? null,
    });
    for (const field of t.custom_fields ?? []) this.tickets.setField(ticket.id, field.id, field.value);
    // The first comment is written by the caller (the API's user), public unless it says otherwise.
    const comment = this.tickets.addComment(ticket.id, { authorId: this.agent.id, body: t.comment.body, public: t.comment.public });
    this.send(res, 201, {
      ticket: { ...ticketJson(ticket), description: comment.body },
      audit: { ticket_id: ticket.id, author_id: this.agent.id, events: [{ id: comment.id, type: "Comment", body: comment.body, public: comment.public }] },
    });
  }

  private list(res: http.ServerResponse, params: URLSearchParams): void {
    const externalId = params.get("external_id");
    const found = this.tickets.all().filter((t) => externalId === null || t.externalId === externalId);
    // Cursor pagination when asked for (page[size]), as node-zendesk does; offset pagination otherwise.
    const page = params.has("page[size]")
      ? { meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { next: null, prev: null } }
      : { next_page: null, previous_page: null, count: found.length };
    this.send(res, 200, { tickets: found.map(ticketJson), ...page });
  }
}
