// A local stand-in for Checkout.com's API (NAS shapes), on loopback, for tests and the demo. The app
// reaches it through checkout-sdk-node with the connection's base URL (CHECKOUT_API_BASE_URL).
// See README.md in this folder for the public surface.
import { randomUUID, createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { control } from "./control";
import { customerRoutes } from "./customers";
import { ApiError, notFound } from "./errors";
import { createEventFactory, type EventFactory } from "./events";
import { createFaults } from "./faults";
import { Finance, financeRoutes } from "./finance";
import { createIdempotencyStore, IDEMPOTENCY_TTL_MS, type StoredResponse } from "./idempotency";
import {
  captureRequest,
  parseDisputeQuery,
  parseFileUpload,
  parseJsonBody,
  parsePaymentListQuery,
  provideEvidenceRequest,
  refundRequest,
  voidRequest,
} from "./requests";
import { createScenarios } from "./scenarios";
import { StandInState, type Account, type AccountConfig } from "./state";
import { actionAcceptedView, actionsView, disputeSummaryView, disputeView, evidenceView, fileUploadedView, fileView, paymentView } from "./views";
import { createWebhookSender, dashboardWebhook, type Delivery, type WebhookOptions } from "./webhooks";
import {
  addWorkflowRequest,
  createWorkflowStore,
  parseReflowRequest,
  patchWorkflowRequest,
  reflowPathId,
  testWorkflowRequest,
  workflowViews,
  type ReflowSelection,
  type WebhookTarget,
  type Workflow,
} from "./workflows";

export interface CheckoutStandInOptions {
  accounts: AccountConfig[];
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The stand-in's "now": timestamps, evidence deadlines and idempotency key expiry. */
  clock?: () => Date;
  /** How long a POST/PUT is "being processed" (a concurrent duplicate gets 409 meanwhile). Default 20 ms. */
  actionLatencyMs?: number;
  webhooks?: WebhookOptions;
  idempotencyTtlMs?: number;
  /** Random source for fault rates. */
  random?: () => number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  accountId?: string;
  idempotencyKey?: string;
  status: number;
  /** The JSON body, when there was one. */
  body?: unknown;
}

interface Context {
  account: Account;
  params: string[];
  url: URL;
  headers: Record<string, string>;
  raw: Buffer;
  mutates: boolean;
}

/**
 * Where events go: new ones ("raised", the default) to every target they meet; a workflow test's to that
 * workflow only; a reflow's again, to the named workflows (none named: every target they meet).
 */
type Routing = { kind: "raised" } | { kind: "test"; workflow: Workflow } | { kind: "reflow"; workflows?: ReadonlySet<string> };

interface Reply extends StoredResponse {
  /** Extra response headers (a redirect's Location). */
  headers?: Record<string, string>;
  /** Webhook events to send once the answer is final. */
  events?: Array<Record<string, unknown>>;
  routing?: Routing;
}

type Handler = (ctx: Context) => Reply | Promise<Reply>;

/** Bodies above this are cut off with 413 before parsing; files have their own 4 MB rule (422). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function createCheckoutStandIn(options: CheckoutStandInOptions) {
  const clock = options.clock ?? (() => new Date());
  const latency = options.actionLatencyMs ?? 20;
  const state = new StandInState(options.accounts, clock, new Finance(clock));
  const faults = createFaults(options.random);
  const idempotency = createIdempotencyStore(clock, options.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS);
  const webhooks = createWebhookSender(options.webhooks ?? {}, clock);
  const requests: RecordedRequest[] = [];
  let base = "";

  const workflows = createWorkflowStore();

  /**
   * Sends each event to the dashboard webhook and to every active workflow whose conditions it meets,
   * each target's events in order; a test and a reflow that names workflows skip the dashboard webhook
   * (routing, above). New events are kept for reflow.
   */
  const deliver = (account: Account, list: Array<Record<string, unknown>>, routing: Routing = { kind: "raised" }): Delivery[] => {
    if (routing.kind !== "reflow") list.forEach((event) => workflows.record(account.id, event));
    const batches = new Map<string, { target: WebhookTarget; events: Array<Record<string, unknown>> }>();
    const dashboard = routing.kind === "test" || (routing.kind === "reflow" && routing.workflows) ? null : dashboardWebhook(account);
    for (const event of list) {
      const targets =
        routing.kind === "test"
          ? workflows.testTargets(routing.workflow)
          : workflows.targets(account.id, event, routing.kind === "reflow" ? routing.workflows : undefined);
      for (const target of [...(dashboard ? [dashboard] : []), ...targets]) {
        const id = `${target.url}\n${target.key}`;
        if (!batches.has(id)) batches.set(id, { target, events: [] });
        batches.get(id)!.events.push(event);
      }
    }
    return [...batches.values()].flatMap(({ target, events }) => webhooks.send(account, target, events));
  };

  /** Workflows are NAS only, and need a key with the flow:workflows scope (401 without it, as Checkout.com answers). */
  const workflowsOf = (account: Account) => {
    if (account.accountType !== "NAS") throw notFound();
    if (account.workflowsScope === false) throw new ApiError(401);
    return workflows;
  };
  /**
   * A reflow: Workflows (NAS only) with its own scope, flow:reflow (401 without it); then the ids
   * (`select`: 422 or 404 when wrong); then 202 and the kept events sent again, to the workflows named
   * (none: every target they meet; an id of no workflow adds nothing).
   */
  const reflow = (account: Account, select: () => { selection: ReflowSelection; workflows?: string[] }): Reply => {
    if (account.accountType !== "NAS") throw notFound();
    if (account.reflowScope === false) throw new ApiError(401);
    const { selection, workflows: named } = select();
    return {
      status: 202,
      events: workflows.reflowEvents(account.id, selection),
      routing: { kind: "reflow", workflows: named?.length ? new Set(named) : undefined },
    };
  };
  // Events link to the stand-in's URL, known once it listens (before any request can arrive).
  let eventFactory: EventFactory;

  const routes: Array<[method: string, pattern: RegExp, handler: Handler]> = [
    [
      "GET",
      /^\/payments$/,
      ({ account, url }) => {
        const query = parsePaymentListQuery(url.searchParams);
        const { total, data } = state.listPayments(account.id, query);
        return { status: 200, body: { limit: query.limit, skip: query.skip, total_count: total, data: data.map((p) => paymentView(p, base)) } };
      },
    ],
    ["GET", /^\/payments\/([^/]+)$/, ({ account, params }) => ({ status: 200, body: paymentView(state.payment(account.id, params[0]), base) })],
    ["GET", /^\/payments\/([^/]+)\/actions$/, ({ account, params }) => ({ status: 200, body: actionsView(state.payment(account.id, params[0])) })],
    [
      "POST",
      /^\/payments\/([^/]+)\/captures$/,
      ({ account, params, raw }) => moneyAction(account, state.capture(account.id, params[0], parseJsonBody(captureRequest, raw))),
    ],
    [
      "POST",
      /^\/payments\/([^/]+)\/refunds$/,
      ({ account, params, raw }) => moneyAction(account, state.refund(account.id, params[0], parseJsonBody(refundRequest, raw))),
    ],
    [
      "POST",
      /^\/payments\/([^/]+)\/voids$/,
      ({ account, params, raw }) => moneyAction(account, state.void(account.id, params[0], parseJsonBody(voidRequest, raw))),
    ],
    [
      "GET",
      /^\/disputes$/,
      ({ account, url }) => {
        const query = parseDisputeQuery(url.searchParams);
        const { total, data } = state.listDisputes(account.id, query);
        const { statuses, ...echo } = query;
        return {
          status: 200,
          body: { ...echo, ...(statuses ? { statuses: statuses.join(",") } : {}), total_count: total, data: data.map((d) => disputeSummaryView(d, base)) },
        };
      },
    ],
    [
      "GET",
      /^\/disputes\/([^/]+)$/,
      ({ account, params }) => {
        const dispute = state.dispute(account.id, params[0]);
        return { status: 200, body: disputeView(dispute, paymentOf(account, dispute.fixture.paymentId), base) };
      },
    ],
    [
      "PUT",
      /^\/disputes\/([^/]+)\/evidence$/,
      ({ account, params, raw }) => {
        state.provideEvidence(account.id, params[0], parseJsonBody(provideEvidenceRequest, raw));
        return { status: 204 };
      },
    ],
    ["GET", /^\/disputes\/([^/]+)\/evidence$/, ({ account, params }) => ({ status: 200, body: evidenceView(state.dispute(account.id, params[0])) })],
    [
      "POST",
      /^\/disputes\/([^/]+)\/evidence$/,
      ({ account, params }) => {
        const dispute = state.submitEvidence(account.id, params[0]);
        return { status: 204, events: [eventFactory.dispute(account, "dispute_evidence_submitted", dispute)] };
      },
    ],
    [
      "POST",
      /^\/disputes\/([^/]+)\/accept$/,
      ({ account, params }) => {
        const dispute = state.acceptDispute(account.id, params[0]);
        return { status: 204, events: [eventFactory.dispute(account, "dispute_accepted", dispute)] };
      },
    ],
    [
      "POST",
      /^\/files$/,
      async ({ account, url, headers, raw }) => {
        const file = state.addFile(account.id, await parseFileUpload(url.href, headers, raw));
        return { status: 200, body: fileUploadedView(file, base) };
      },
    ],
    ["GET", /^\/files\/([^/]+)$/, ({ account, params }) => ({ status: 200, body: fileView(state.file(account.id, params[0]), base) })],
    ["GET", /^\/workflows\/event-types$/, ({ account }) => (workflowsOf(account), { status: 200, body: workflowViews.eventTypes() })],
    [
      "GET",
      /^\/workflows$/,
      ({ account }) => ({
        status: 200,
        body: {
          data: workflowsOf(account)
            .list(account.id)
            .map((w) => workflowViews.summary(w, base)),
        },
      }),
    ],
    [
      "POST",
      /^\/workflows$/,
      ({ account, raw }) => ({ status: 201, body: workflowViews.created(workflowsOf(account).add(account.id, parseJsonBody(addWorkflowRequest, raw)), base) }),
    ],
    [
      "GET",
      /^\/workflows\/([^/]+)$/,
      ({ account, params }) => ({ status: 200, body: workflowViews.full(workflowsOf(account).get(account.id, params[0]), base) }),
    ],
    [
      "PATCH",
      /^\/workflows\/([^/]+)$/,
      ({ account, params, raw }) => ({
        status: 200,
        body: workflowViews.full(workflowsOf(account).patch(account.id, params[0], parseJsonBody(patchWorkflowRequest, raw)), base),
      }),
    ],
    [
      "DELETE",
      /^\/workflows\/([^/]+)$/,
      ({ account, params }) => {
        workflowsOf(account).remove(account.id, params[0]);
        return { status: 204 };
      },
    ],
    [
      "POST",
      /^\/workflows\/([^/]+)\/test$/,
      ({ account, params, raw }) => {
        const { workflow, types } = workflowsOf(account).testTypes(account.id, params[0], parseJsonBody(testWorkflowRequest, raw).event_types);
        return { status: 204, events: types.map((type) => eventFactory.sample(account, type)), routing: { kind: "test", workflow } };
      },
    ],
    ["POST", /^\/workflows\/events\/reflow$/, ({ account, raw }) => reflow(account, () => parseReflowRequest(raw))],
    [
      "POST",
      /^\/workflows\/events\/subject\/([^/]+)\/reflow$/,
      ({ account, params }) => reflow(account, () => ({ selection: { subjects: [reflowPathId("subject", params[0])] } })),
    ],
    [
      "POST",
      /^\/workflows\/events\/subject\/([^/]+)\/workflow\/([^/]+)\/reflow$/,
      ({ account, params }) =>
        reflow(account, () => ({ selection: { subjects: [reflowPathId("subject", params[0])] }, workflows: [workflows.get(account.id, params[1]).id] })),
    ],
    [
      "POST",
      /^\/workflows\/events\/([^/]+)\/reflow$/,
      ({ account, params }) => reflow(account, () => ({ selection: { events: [reflowPathId("event", params[0])] } })),
    ],
    [
      "POST",
      /^\/workflows\/events\/([^/]+)\/workflow\/([^/]+)\/reflow$/,
      ({ account, params }) =>
        reflow(account, () => ({ selection: { events: [reflowPathId("event", params[0])] }, workflows: [workflows.get(account.id, params[1]).id] })),
    ],
    ...financeRoutes(state.finance, () => base),
    ...customerRoutes(state.customers),
  ];

  function paymentOf(account: Account, paymentId: string) {
    const payment = state.payments.get(paymentId);
    return payment?.accountId === account.id ? payment : undefined;
  }

  function moneyAction(account: Account, { payment, action }: ReturnType<StandInState["capture"]>): Reply {
    return { status: 202, body: actionAcceptedView(payment, action, base), events: [eventFactory.action(account, payment, action)] };
  }

  async function run(handler: Handler, ctx: Context, requestId: string): Promise<Reply> {
    try {
      // A change is "being processed" for a moment, so concurrent duplicates can meet it.
      if (ctx.mutates) await sleep(latency);
      return await handler(ctx);
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: error.body(requestId) };
      console.error("checkout stand-in: unexpected error", error);
      return { status: 500 };
    }
  }

  async function api(method: string, url: URL, headers: Record<string, string>, raw: Buffer, requestId: string, seen: RecordedRequest): Promise<Reply> {
    const account = state.authenticate(headers.authorization);
    if (!account) return { status: 401 };
    seen.accountId = account.id;
    const route = routes.find(([m, pattern]) => m === method && pattern.test(url.pathname));
    if (!route) return { status: 404 };
    let params: string[];
    try {
      params = (route[1].exec(url.pathname) ?? []).slice(1).map(decodeURIComponent);
    } catch {
      return { status: 404 }; // malformed percent-encoding names nothing
    }
    const ctx: Context = { account, params, url, headers, raw, mutates: method !== "GET" };
    const key = headers["cko-idempotency-key"];
    if (method !== "POST" || !key) return run(route[2], ctx, requestId);
    const fingerprint = createHash("sha256").update(`${method} ${url.pathname}\n`).update(raw).digest("hex");
    const claim = idempotency.claim(account.id, key, fingerprint);
    if (claim.kind === "replay") return { status: claim.response.status, body: claim.response.body };
    if (claim.kind === "in_flight") return { status: 409 };
    if (claim.kind === "mismatch") return { status: 422, body: new ApiError(422, ["idempotency_key_reused"]).body(requestId) };
    const reply = await run(route[2], ctx, requestId);
    claim.finish({ status: reply.status, body: reply.body });
    return reply;
  }

  function send(res: http.ServerResponse, status: number, body?: unknown, raw?: { data: Buffer; contentType: string }, headers: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (raw) {
      res.writeHead(status, { "Content-Type": raw.contentType, "Content-Length": raw.data.length });
      res.end(raw.data);
    } else if (body === undefined) {
      res.writeHead(status);
      res.end();
    } else {
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    }
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk as Buffer);
    }
    return size > MAX_REQUEST_BYTES ? null : Buffer.concat(chunks);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", base);
    const requestId = randomUUID();
    res.setHeader("Cko-Request-Id", requestId);
    const raw = await readBody(req);
    if (url.pathname === "/_standin" || url.pathname.startsWith("/_standin/")) {
      res.setHeader("Access-Control-Allow-Origin", "*");
      if (method === "OPTIONS") {
        res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
        res.setHeader("Access-Control-Allow-Headers", "Content-Type");
        return send(res, 204);
      }
      const reply = raw === null ? { status: 413 } : (control(standIn, method, url.pathname, raw) ?? { status: 404 });
      return send(res, reply.status, "body" in reply ? reply.body : undefined, "raw" in reply ? reply.raw : undefined);
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    const seen: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search,
      idempotencyKey: headers["cko-idempotency-key"] || undefined,
      status: 0,
      body: jsonOrUndefined(headers, raw),
    };
    let reply: Reply;
    const early = faults.pick(method, url.pathname, "before");
    if (early) reply = { status: early };
    else if (raw === null) reply = { status: 413 };
    else reply = await api(method, url, headers, raw, requestId, seen);
    if (reply.events && seen.accountId) deliver(state.account(seen.accountId), reply.events, reply.routing);
    const late = faults.pick(method, url.pathname, "after");
    if (late) reply = { status: late };
    seen.status = reply.status;
    requests.push(seen);
    send(res, reply.status, reply.body, undefined, reply.headers);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error("checkout stand-in: request failed", error);
      if (!res.headersSent) send(res, 500);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  base = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  eventFactory = createEventFactory(base, clock);

  const standIn = {
    /** Base URL to give the app (CHECKOUT_API_BASE_URL) or createCheckoutClient's `baseUrl`. */
    url: base,
    state,
    faults,
    scenarios: createScenarios(state, eventFactory, deliver),
    webhooks: { deliveries: webhooks.deliveries, idle: webhooks.idle },
    /** Every API request received (not /_standin), oldest first. */
    requests: requests as readonly RecordedRequest[],
    /** Delivers any event (built with test/fixtures/checkout-events.ts) to an account's webhook URL, signed. */
    /** The workflows made through the API, for assertions. */
    workflows: { list: (accountRef?: string) => workflows.list(state.account(accountRef).id) },
    deliverEvent(accountRef: string | undefined, event: Record<string, unknown>): Delivery | undefined {
      return deliver(state.account(accountRef), [event])[0];
    },
    async stop() {
      webhooks.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return standIn;
}

function jsonOrUndefined(headers: Record<string, string>, raw: Buffer | null): unknown {
  if (!raw?.length || !/json/i.test(headers["content-type"] ?? "")) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

export type CheckoutStandIn = Awaited<ReturnType<typeof createCheckoutStandIn>>;
