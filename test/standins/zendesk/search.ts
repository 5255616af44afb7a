// Zendesk's Search API for tickets (GET /api/v2/search.json?query=...) and the users a ticket's comments
// name (GET /api/v2/users/show_many.json?ids=...), as far as the app uses them: `type:ticket`,
// `requester:<email>`, quoted phrases (matched in the subject and the comments, as Zendesk's full-text
// search does), `order_by:updated_at sort:desc|asc`. Requests reach here already admitted by server.ts.
import type http from "node:http";
import { ticketJson, type AgentConfig, type Ticket, type TicketStore } from "./tickets";

type Send = (res: http.ServerResponse, status: number, body: unknown) => void;

interface TicketQuery {
  requester: string | null;
  phrases: string[];
  ascending: boolean;
}

/** The query's terms; null for one this stand-in does not know (Zendesk would search for the words). */
function parseQuery(query: string): TicketQuery | null {
  const terms = query.match(/"[^"]*"|\S+/g) ?? [];
  const parsed: TicketQuery = { requester: null, phrases: [], ascending: false };
  let ticketsOnly = false;
  for (const term of terms) {
    const [key, ...rest] = term.split(":");
    const value = rest.join(":").replace(/^"|"$/g, "");
    if (term.startsWith('"')) parsed.phrases.push(term.slice(1, -1).toLowerCase());
    else if (key === "type") ticketsOnly = value === "ticket";
    else if (key === "requester") parsed.requester = value.toLowerCase();
    else if (key === "order_by") continue;
    else if (key === "sort") parsed.ascending = value === "asc";
    else return null;
  }
  return ticketsOnly ? parsed : null;
}

const matches = (ticket: Ticket, q: TicketQuery) =>
  (!q.requester || ticket.requester.email?.toLowerCase() === q.requester) &&
  q.phrases.every((phrase) => [ticket.subject, ...ticket.comments.map((c) => c.body)].some((text) => text.toLowerCase().includes(phrase)));

export class SearchApi {
  constructor(
    private readonly tickets: TicketStore,
    private readonly agent: AgentConfig,
    private readonly send: Send,
  ) {}

  /** Answers the endpoints above; false when the request is not one of them. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean {
    if (req.method !== "GET") return false;
    if (url.pathname === "/api/v2/search.json") {
      const query = parseQuery(url.searchParams.get("query") ?? "");
      if (!query) this.send(res, 400, { error: "unavailable", description: "This stand-in searches tickets only (type:ticket)." });
      else {
        const found = this.tickets
          .all()
          .filter((t) => matches(t, query))
          .sort((a, b) => (query.ascending ? 1 : -1) * a.updatedAt.localeCompare(b.updatedAt));
        const results = found.map((t) => ({ ...ticketJson(t), result_type: "ticket", description: t.comments[0]?.body ?? "" }));
        this.send(res, 200, { results, facets: null, next_page: null, previous_page: null, count: results.length });
      }
      return true;
    }
    if (url.pathname === "/api/v2/users/show_many.json") {
      const ids = new Set((url.searchParams.get("ids") ?? "").split(",").map(Number));
      const known = new Map<number, { id: number; name: string; email: string | null; role: string }>();
      for (const t of this.tickets.all()) known.set(t.requester.id, { ...t.requester, role: "end-user" });
      known.set(this.agent.id, { id: this.agent.id, name: this.agent.name, email: this.agent.email, role: "agent" });
      this.send(res, 200, { users: [...known.values()].filter((u) => ids.has(u.id)), next_page: null, previous_page: null, count: ids.size });
      return true;
    }
    return false;
  }
}
