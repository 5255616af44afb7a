// Tickets as the Zendesk stand-in keeps them, and the two views of them a sidebar app meets: the ZAF
// data API (client.get paths) and the Support REST API (/api/v2/tickets...).

export interface AgentConfig {
  id: number;
  name: string;
  email: string;
  locale: string;
}

export interface TicketConfig {
  id: number;
  subject: string;
  status?: "new" | "open" | "pending" | "solved";
  requester: { id: number; name: string; email: string | null };
  customFields?: Record<number, string | number | null>;
  /** The conversation so far, oldest first, written by the requester or the signed-in agent. */
  comments?: Array<{ from: "requester" | "agent"; body: string; public: boolean; createdAt?: string }>;
}

export interface Comment {
  id: number;
  authorId: number;
  body: string;
  public: boolean;
  createdAt: string;
}

export interface Ticket {
  id: number;
  subject: string;
  status: string;
  requester: { id: number; name: string; email: string | null };
  customFields: Map<number, string | number | null>;
  comments: Comment[];
  updatedAt: string;
  /** Set by tickets created through the Support API (support-api.ts). */
  externalId?: string | null;
  groupId?: number | null;
  tags?: string[];
  priority?: string | null;
  createdAt?: string;
}

export type ZafGetAnswer = Record<string, unknown> & { errors: Record<string, { name: string; message: string; path: string }> };

export class TicketStore {
  private readonly tickets = new Map<number, Ticket>();
  private nextCommentId = 1;
  /** Zendesk never gives a deleted ticket's id to another. */
  private nextTicketId = 1;

  constructor(
    configs: TicketConfig[],
    private readonly agent: AgentConfig,
    private readonly clock: () => Date,
  ) {
    for (const c of configs) this.add(c);
  }

  /**
   * A ticket as its config describes it (the demo adds its seeded tickets after starting). Its id, unless
   * a ticket made through the API meanwhile took it: then the next one, as Zendesk never gives an id twice.
   */
  add(c: TicketConfig): Ticket {
    const id = this.tickets.has(c.id) ? this.takeNextId() : c.id;
    const ticket: Ticket = {
      id,
      subject: c.subject,
      status: c.status ?? "open",
      requester: c.requester,
      customFields: new Map(Object.entries(c.customFields ?? {}).map(([k, v]) => [Number(k), v])),
      comments: [],
      updatedAt: this.clock().toISOString(),
    };
    this.tickets.set(id, ticket);
    for (const { from, ...comment } of c.comments ?? []) {
      this.addComment(id, { ...comment, authorId: from === "agent" ? this.agent.id : c.requester.id });
    }
    return ticket;
  }

  private takeNextId(): number {
    const id = Math.max(this.nextTicketId, ...[...this.tickets.keys()].map((k) => k + 1));
    this.nextTicketId = id + 1;
    return id;
  }

  get(id: number): Ticket | undefined {
    return this.tickets.get(id);
  }

  all(): Ticket[] {
    return [...this.tickets.values()];
  }

  /** A new ticket with the next id (the Support API's create); its first comment is added by the caller. */
  create(fields: Omit<Ticket, "id" | "comments" | "updatedAt" | "createdAt" | "customFields">): Ticket {
    const id = this.takeNextId();
    const now = this.clock().toISOString();
    const ticket: Ticket = { ...fields, id, customFields: new Map(), comments: [], createdAt: now, updatedAt: now };
    this.tickets.set(id, ticket);
    return ticket;
  }

  /** As an agent deleting the ticket: Zendesk then answers 404 for it and lists it no more. */
  delete(id: number): boolean {
    return this.tickets.delete(id);
  }

  addComment(ticketId: number, comment: { authorId: number; body: string; public: boolean; createdAt?: string }): Comment {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) throw new Error(`no ticket ${ticketId}`);
    const now = this.clock().toISOString();
    const added = { id: this.nextCommentId++, authorId: comment.authorId, body: comment.body, public: comment.public, createdAt: comment.createdAt ?? now };
    ticket.comments.push(added);
    // A seeded comment with its own time dates the ticket's last change, as in Zendesk's history.
    ticket.updatedAt = added.createdAt;
    return added;
  }

  setField(ticketId: number, fieldId: number, value: string | number | null): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) throw new Error(`no ticket ${ticketId}`);
    ticket.customFields.set(fieldId, value);
    ticket.updatedAt = this.clock().toISOString();
  }
}

/** Answers client.get(paths) the way ZAF does: values by path, and an error per unknown path. */
export function zafGet(ticket: Ticket, agent: AgentConfig, subdomain: string, paths: string[]): ZafGetAnswer {
  const requester = { id: ticket.requester.id, name: ticket.requester.name, email: ticket.requester.email };
  const values: Record<string, unknown> = {
    "ticket.id": ticket.id,
    "ticket.subject": ticket.subject,
    "ticket.status": ticket.status,
    "ticket.requester": requester,
    "ticket.requester.id": requester.id,
    "ticket.requester.name": requester.name,
    "ticket.requester.email": requester.email,
    currentUser: { id: agent.id, name: agent.name, email: agent.email, locale: agent.locale, role: "agent" },
    "currentUser.id": agent.id,
    "currentUser.name": agent.name,
    "currentUser.email": agent.email,
    "currentUser.locale": agent.locale,
    "currentUser.role": "agent",
    currentAccount: { subdomain },
    "currentAccount.subdomain": subdomain,
  };
  const answer: ZafGetAnswer = { errors: {} };
  for (const path of paths) {
    const field = /^ticket\.customField:custom_field_(\d+)$/.exec(path);
    if (field) answer[path] = ticket.customFields.get(Number(field[1])) ?? null;
    else if (path in values) answer[path] = values[path];
    else answer.errors[path] = { name: "Error", message: `Could not find handler for: "${path}"`, path };
  }
  return answer;
}

/** A ticket in the Support API's JSON shape (the fields a sidebar app reads). */
export function ticketJson(ticket: Ticket) {
  return {
    id: ticket.id,
    subject: ticket.subject,
    status: ticket.status,
    requester_id: ticket.requester.id,
    external_id: ticket.externalId ?? null,
    group_id: ticket.groupId ?? null,
    tags: ticket.tags ?? [],
    priority: ticket.priority ?? null,
    custom_fields: [...ticket.customFields].map(([id, value]) => ({ id, value })),
    created_at: ticket.createdAt ?? ticket.updatedAt,
    updated_at: ticket.updatedAt,
  };
}

/** GET /api/v2/tickets/{id}/comments.json?include=users: comments with their authors sideloaded. */
export function commentsJson(ticket: Ticket, agent: AgentConfig) {
  const users = [
    { id: ticket.requester.id, name: ticket.requester.name, email: ticket.requester.email, role: "end-user" },
    { id: agent.id, name: agent.name, email: agent.email, role: "agent" },
  ];
  return {
    comments: ticket.comments.map((c) => ({
      id: c.id,
      type: "Comment",
      author_id: c.authorId,
      body: c.body,
      plain_body: c.body,
      public: c.public,
      created_at: c.createdAt,
    })),
    users,
    next_page: null,
    previous_page: null,
    count: ticket.comments.length,
  };
}
