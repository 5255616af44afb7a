// Checkout.com's Workflows (NAS, /workflows in the OpenAPI description): what an account keeps, the
// request bodies it accepts, the answers it gives, and which webhook actions an event is sent to.
// Every event raised is kept, so a reflow (/workflows/events/.../reflow) can send it again, same id.
// A webhook the merchant made on the dashboard is the account's `webhookUrl` (state.ts); workflows
// made through the API deliver beside it, each with its own URL, headers and signature key.
import { z } from "zod";
import { ckoId } from "../../fixtures/checkout-events";
import { invalid, notFound } from "./errors";
import { parseJsonBody } from "./requests";

/** GET /workflows/event-types: each source and the event types it raises. */
const EVENT_SOURCES = [
  {
    id: "gateway",
    display_name: "Gateway",
    description: "Events from the Checkout.com payment gateway",
    events: [
      "card_verified",
      "card_verification_declined",
      "payment_approved",
      "payment_pending",
      "payment_declined",
      "payment_expired",
      "payment_canceled",
      "payment_voided",
      "payment_void_declined",
      "payment_captured",
      "payment_capture_declined",
      "payment_capture_pending",
      "payment_refunded",
      "payment_refund_declined",
      "payment_refund_pending",
      "payment_authorization_incremented",
      "payment_authorization_increment_declined",
      "payment_chargeback",
      "payment_retrieval",
      "payment_returned",
      "payment_paid",
      "payment_authentication_failed",
      // The July 2023 description does not say which source raises fraud reports; the stand-in puts
      // them here. The app reads the sources from this endpoint, so it does not depend on the choice.
      "fraud_reported",
    ],
  },
  {
    id: "dispute",
    display_name: "Disputes",
    description: "Events raised when a dispute is received or changes",
    events: [
      "dispute_received",
      "dispute_evidence_required",
      "dispute_evidence_submitted",
      "dispute_evidence_acknowledged_by_scheme",
      "dispute_accepted",
      "dispute_won",
      "dispute_lost",
      "dispute_resolved",
      "dispute_canceled",
      "dispute_expired",
      "dispute_arbitration_sent_to_scheme",
      "dispute_arbitration_won",
      "dispute_arbitration_lost",
    ],
  },
] as const;

const EVENT_TYPES = new Set<string>(EVENT_SOURCES.flatMap((s) => s.events));
const SOURCES = new Set<string>(EVENT_SOURCES.map((s) => s.id));

const processingChannel = z.string().regex(/^pc_[a-z2-7]{26}$/);
const condition = z.discriminatedUnion("type", [
  z.object({ type: z.literal("event"), events: z.record(z.array(z.string()).min(1)) }).strict(),
  z.object({ type: z.literal("entity"), entities: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ type: z.literal("processing_channel"), processing_channels: z.array(processingChannel).min(1) }).strict(),
]);
type Condition = z.infer<typeof condition>;

const webhookAction = z
  .object({
    type: z.literal("webhook"),
    url: z.string().url(),
    headers: z.record(z.string()).optional(),
    signature: z
      .object({ method: z.literal("HMACSHA256").optional(), key: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();

export const addWorkflowRequest = z
  .object({
    name: z.string().max(255).optional(),
    active: z.boolean().optional(),
    conditions: z.array(condition).min(1),
    actions: z.array(webhookAction).min(1),
  })
  .strict();

export const patchWorkflowRequest = z
  .object({
    name: z.string().max(255).optional(),
    active: z.boolean().optional(),
    conditions: z.array(condition).min(1).optional(),
    actions: z
      .array(webhookAction.extend({ workflow_action_id: z.string().optional() }).strict())
      .min(1)
      .optional(),
  })
  .strict();

export const testWorkflowRequest = z.object({ event_types: z.array(z.string()).min(1) }).strict();

// POST /workflows/events/reflow: reflow-events-by-event-and-workflow-ids or
// reflow-events-by-subject-and-workflow-ids. The spec's id patterns fix the length at 26; like the
// other ids here, only the prefix is checked. The spec sets no maximum number of ids.
const eventIds = z.array(z.string().regex(/^evt_[a-z0-9]+$/));
const subjectIds = z.array(z.string().regex(/^[a-z]{3}_[a-z0-9]+$/));
const workflowIds = z.array(z.string().regex(/^wf_[a-z0-9]+$/));
export const reflowByEventsRequest = z.object({ events: eventIds, workflows: workflowIds.optional() }).strict();
export const reflowBySubjectsRequest = z.object({ subjects: subjectIds, workflows: workflowIds.optional() }).strict();
const PATH_IDS = { event: /^evt_[a-z0-9]+$/, subject: /^[a-z]{3}_[a-z0-9]+$/ };

/** An id a reflow path names (/workflows/events/{eventId}/..., .../subject/{subjectId}/...); any other is not found. */
export function reflowPathId(kind: keyof typeof PATH_IDS, id: string): string {
  if (!PATH_IDS[kind].test(id)) throw notFound();
  return id;
}

/** Which stored events a reflow sends again. */
export type ReflowSelection = { events: string[] } | { subjects: string[] };

const REFLOW_ID_CODES: Record<string, string> = { events: "event_ids_invalid", subjects: "subject_ids_invalid", workflows: "workflow_ids_invalid" };

/** The body of POST /workflows/events/reflow, or the 422 Checkout.com answers (`event_ids_invalid`, `workflow_ids_invalid`...). */
export function parseReflowRequest(raw: Buffer): { selection: ReflowSelection; workflows?: string[] } {
  const body = parseJsonBody(z.record(z.unknown()), raw);
  // Events or subjects, not both and not neither (the spec's oneOf).
  if ("events" in body === "subjects" in body) throw invalid("request_invalid");
  const result = ("events" in body ? reflowByEventsRequest : reflowBySubjectsRequest).safeParse(body);
  if (!result.success) {
    const codes = result.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys" ? issue.keys.map((k) => `${k}_invalid`) : [REFLOW_ID_CODES[String(issue.path[0])] ?? "request_invalid"],
    );
    throw invalid(...new Set(codes));
  }
  const { workflows, ...selection } = result.data;
  return { selection: selection as ReflowSelection, workflows };
}

type StoredCondition = Condition & { id: string };
type StoredAction = z.infer<typeof webhookAction> & { id: string };

export interface Workflow {
  id: string;
  accountId: string;
  name: string;
  active: boolean;
  conditions: StoredCondition[];
  actions: StoredAction[];
}

/** Where one event goes: a webhook action of a workflow, or the account's dashboard webhook. */
export interface WebhookTarget {
  url: string;
  key: string;
  headers: Record<string, string>;
}

/** Checks what the schema cannot: one condition per type, known sources and event types. */
function checkConditions(conditions: Condition[]) {
  if (new Set(conditions.map((c) => c.type)).size !== conditions.length) throw invalid("conditions_invalid");
  for (const c of conditions) {
    if (c.type !== "event") continue;
    for (const [source, types] of Object.entries(c.events)) {
      if (!SOURCES.has(source)) throw invalid("event_source_invalid");
      if (types.some((t) => !EVENT_TYPES.has(t))) throw invalid("event_types_invalid");
    }
  }
}

type Event = Record<string, unknown>;

/** Whether an event is about a subject: its payment or dispute (data.id), or the payment a dispute is on. */
function concerns(event: Event, subjects: ReadonlySet<string>): boolean {
  const data = (event.data ?? {}) as Record<string, unknown>;
  return subjects.has(String(data.id)) || subjects.has(String(data.payment_id));
}

export function createWorkflowStore() {
  const workflows = new Map<string, Workflow>();
  /** Every event raised, per account, oldest first: what a reflow sends again. */
  const raised = new Map<string, Event[]>();

  const stored = (accountId: string, id: string): Workflow => {
    const workflow = workflows.get(id);
    if (!workflow || workflow.accountId !== accountId) throw notFound();
    return workflow;
  };
  const withIds = {
    conditions: (list: Condition[]) => list.map((c) => ({ ...c, id: ckoId("wfc") })),
    actions: (list: Array<z.infer<typeof webhookAction>>) => list.map((a) => ({ ...a, id: ckoId("wfa") })),
  };

  return {
    add(accountId: string, body: z.infer<typeof addWorkflowRequest>): Workflow {
      checkConditions(body.conditions);
      const workflow: Workflow = {
        id: ckoId("wf"),
        accountId,
        name: body.name ?? "",
        active: body.active ?? true,
        conditions: withIds.conditions(body.conditions),
        actions: withIds.actions(body.actions),
      };
      workflows.set(workflow.id, workflow);
      return workflow;
    },
    get: stored,
    list: (accountId: string) => [...workflows.values()].filter((w) => w.accountId === accountId),
    patch(accountId: string, id: string, body: z.infer<typeof patchWorkflowRequest>): Workflow {
      const workflow = stored(accountId, id);
      if (body.conditions) checkConditions(body.conditions);
      if (body.actions?.some((a) => a.workflow_action_id && !workflow.actions.some((b) => b.id === a.workflow_action_id)))
        throw invalid("workflow_action_id_invalid");
      if (body.name !== undefined) workflow.name = body.name;
      if (body.active !== undefined) workflow.active = body.active;
      if (body.conditions) workflow.conditions = withIds.conditions(body.conditions);
      if (body.actions) workflow.actions = body.actions.map(({ workflow_action_id, ...a }) => ({ ...a, id: workflow_action_id ?? ckoId("wfa") }));
      return workflow;
    },
    remove(accountId: string, id: string) {
      stored(accountId, id);
      workflows.delete(id);
    },
    /** The event types a test of this workflow may send: known ones, else 422 as Checkout.com answers. */
    testTypes(accountId: string, id: string, types: string[]): { workflow: Workflow; types: string[] } {
      const workflow = stored(accountId, id);
      if (types.some((t) => !EVENT_TYPES.has(t))) throw invalid("event_types_invalid");
      return { workflow, types };
    },
    /**
     * The webhook actions of the account's active workflows whose conditions this event meets; `among`
     * narrows them to those workflow ids (a reflow that names workflows: ids of no workflow add nothing).
     */
    targets(accountId: string, event: Event, among?: ReadonlySet<string>): WebhookTarget[] {
      return [...workflows.values()]
        .filter((w) => w.accountId === accountId && w.active && (!among || among.has(w.id)) && matches(w, event))
        .flatMap((w) => w.actions.map(targetOf));
    },
    /** A workflow test goes to the workflow's webhook actions, whatever its conditions. */
    testTargets: (workflow: Workflow): WebhookTarget[] => workflow.actions.map(targetOf),
    record(accountId: string, event: Event) {
      const list = raised.get(accountId);
      if (list) list.push(event);
      else raised.set(accountId, [event]);
    },
    /** The stored events a reflow sends again, unchanged (same ids), oldest first; 404 when there are none. */
    reflowEvents(accountId: string, selection: ReflowSelection): Event[] {
      const all = raised.get(accountId) ?? [];
      const found =
        "events" in selection ? all.filter((e) => selection.events.includes(String(e.id))) : all.filter((e) => concerns(e, new Set(selection.subjects)));
      if (!found.length) throw notFound();
      return found;
    },
  };
}

function matches(workflow: Workflow, event: Event): boolean {
  const data = (event.data ?? {}) as Record<string, unknown>;
  return workflow.conditions.every((c) => {
    if (c.type === "event") return Object.values(c.events).some((types) => types.includes(String(event.type)));
    if (c.type === "processing_channel") return typeof data.processing_channel_id === "string" && c.processing_channels.includes(data.processing_channel_id);
    return typeof data.entity_id === "string" && c.entities.includes(data.entity_id);
  });
}

const targetOf = (a: StoredAction): WebhookTarget => ({ url: a.url, key: a.signature?.key ?? "", headers: a.headers ?? {} });

const links = (base: string, w: Workflow) => ({ self: { href: `${base}/workflows/${w.id}` } });

export const workflowViews = {
  created: (w: Workflow, base: string) => ({ id: w.id, _links: links(base, w) }),
  summary: (w: Workflow, base: string) => ({ id: w.id, name: w.name, active: w.active, _links: links(base, w) }),
  full: (w: Workflow, base: string) => ({
    id: w.id,
    name: w.name,
    active: w.active,
    conditions: w.conditions,
    actions: w.actions.map((a) => ({ ...a, signature: a.signature ? { method: a.signature.method ?? "HMACSHA256", key: a.signature.key } : undefined })),
    _links: links(base, w),
  }),
  eventTypes: () => EVENT_SOURCES.map((s) => ({ ...s, events: s.events.map((id) => ({ id, display_name: id, description: id })) })),
};
