// The tools that move money: refund, void, capture and cancel an order. They go through the money-action
// service (app/money/actions.server.ts) as the admin and Zendesk do: through the Shopify order when it
// holds the payment (decision 0007), else straight at Checkout.com. Each call carries the agent's own
// idempotency key (./idempotency.server.ts), the money service's intent is that key, so a retry finds
// the first action; the token's money limits are checked before (to refuse early, in words) and again
// under the payment lock; `dry_run` says exactly what the real call would do and changes nothing.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { MoneyAction, Payment } from "@prisma/client";
import { z } from "zod";
import { db } from "../../db.server";
import {
  cancelOrderAndPayment,
  idempotencyKeyFor,
  planMoneyActions,
  requestMoneyAction,
  type CancelResult,
  type MoneyActionKind,
  type MoneyActionRequest,
  type MoneyActionResult,
} from "../../money/actions.server";
import type { MoneyPlan, PlannedSide } from "../../money/plan.server";
import { money, moneySchema } from "../format";
import { claimIdempotencyKey, earlierKeyUse, keyReuseRefusal } from "../idempotency.server";
import { checkMoneyLimits, limitUseSchema, type LimitCheck } from "../money-limits.server";
import { defineTool, ToolRefusal, type AgentContext, type AuditSubject } from "../tool.server";
import type { AgentCaller } from "../tokens.server";
import { findAgentPayment, paymentLookupSchema, paymentName } from "./payments.server";

/** They change money at Shopify and Checkout.com; the same idempotency key never does it twice. */
const MONEY_ANNOTATIONS = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true } as const;

type MoneyTool = "refund_payment" | "void_payment" | "capture_payment" | "cancel_order";
type LinkedPayment = Awaited<ReturnType<typeof findAgentPayment>>;

const commonInput = {
  payment: paymentLookupSchema,
  idempotency_key: z
    .string()
    .min(1)
    .max(200)
    .describe(
      "Your own key for this one intended action (a UUID, say). Calling again with the same key and the same arguments never repeats the action: it answers with the first result. The same key with other arguments is refused.",
    ),
  dry_run: z
    .boolean()
    .default(false)
    .describe("true: change nothing and say exactly what the call would do (path, amount, what remains, the token's limits) or why it would be refused."),
};
const reasonInput = z.string().trim().min(1).max(500).optional().describe("Why, for the order's note and the audit log.");
const notifyInput = z.boolean().default(false).describe("Shopify emails the customer (only when the action goes through the Shopify order).");
const restockInput = z
  .boolean()
  .default(true)
  .describe("Put back in stock what has not shipped (on a full refund through the Shopify order, or a cancellation).");

const output = {
  dry_run: z.boolean(),
  action: z.enum(["refund", "void", "capture", "cancel_order"]),
  paymentId: z.string().describe("Checkout.com payment id."),
  order: z.object({ id: z.string(), name: z.string().nullable() }).nullable().describe("The Shopify order the payment belongs to."),
  via: z
    .enum(["shopify", "checkout"])
    .describe("shopify: through the Shopify order (its Checkout.com payments app carries it out, the order shows it); checkout: straight at Checkout.com."),
  amount: moneySchema.describe(
    "The money moved (or that would be): a void releases the whole authorisation; a cancellation moves its void or refund (zero when nothing is left).",
  ),
  limits: limitUseSchema.nullable(),
  would: z
    .object({
      allowed: z.boolean(),
      refusal: z.string().nullable().describe("Why the real call would be refused, sending nothing; null when it would go ahead."),
      path: z.string().describe("In words: where the action goes, and why."),
      refundableAfter: moneySchema,
      capturableAfter: moneySchema,
      notifyCustomer: z.boolean().nullable().describe("Whether Shopify would email the customer; null for voids and captures."),
      restock: z.boolean().nullable().describe("Whether what has not shipped would go back in stock, as asked; null for voids and captures."),
      idempotencyKey: z
        .enum(["new", "repeat", "other_request"])
        .describe(
          "new: never used; repeat: used for this same request (the real call answers with its first result); other_request: used for another request (refused).",
        ),
    })
    .optional()
    .describe("Dry runs only: what the real call would do."),
  status: z
    .enum(["succeeded", "accepted"])
    .optional()
    .describe("Real calls: succeeded, or accepted (sent; Shopify or Checkout.com confirm it shortly, see get_payment_actions)."),
  replayed: z
    .boolean()
    .optional()
    .describe("Real calls: true when this idempotency key was used before, so this is the first call's result and nothing was sent again."),
  moneyActionId: z.string().nullable().optional().describe("The app's money action (null: a cancellation that moved no money)."),
  checkoutActionId: z.string().nullable().optional().describe("Checkout.com's action id, once known."),
  shopifyReference: z.string().nullable().optional().describe("Shopify's refund or transaction id, when it went through the order."),
};
type Output = z.infer<z.ZodObject<typeof output>>;

/** What a tool would do on the payment as planned: the money it moves and why it may not. */
interface Step {
  /** Minor units moved (a void: the authorisation it releases). */
  amount: number;
  refusal: string | null;
  /** Names the action in a limit's refusal: "this refund". */
  what: string;
  /** In words: where it goes and what happens. */
  path: string;
  after: { refundable: number; capturable: number };
}

interface ToolFlow {
  tool: MoneyTool;
  action: Output["action"];
  /** The money service's kinds an earlier call with this key may have recorded. */
  kinds: MoneyActionKind[];
  plan: (payment: LinkedPayment, plan: MoneyPlan) => Step;
  /** What the action moves, as the money service decides it under the payment lock. */
  amountUnderLock: (locked: Payment, side: PlannedSide, step: Step) => number;
  /** `step`: as planned; null when the request was recorded before (the service answers its first result). */
  send: (request: ServiceRequest, step: Step | null) => Promise<MoneyActionResult | CancelResult>;
  /** Whether Shopify would email the customer; absent for voids and captures. */
  notifies?: (plan: MoneyPlan) => boolean;
  restock?: boolean;
}

type ServiceRequest = Pick<MoneyActionRequest, "shopId" | "paymentId" | "requestedBy" | "source" | "agentTokenId" | "intent" | "check">;

/** Where a refund, capture or void goes, in words. */
function pathText(plan: MoneyPlan, verb: string): string {
  if (plan.via === "shopify")
    return `Through Shopify's order ${plan.order?.name ?? plan.order?.gid}: Shopify's Checkout.com payments app ${verb} at Checkout.com, and the order shows it.`;
  return `Straight at Checkout.com. ${plan.directReason ?? ""}`.trimEnd();
}

/** Why the lower of Shopify's and Checkout.com's figures applies, when both count. */
const lowerOfBoth = (plan: MoneyPlan) => (plan.shopify ? " (the lower of Shopify's and Checkout.com's figures)" : "");

function refundRefusal(payment: LinkedPayment, plan: MoneyPlan, amount: number): string | null {
  const m = (minor: number) => money(minor, plan.currency).formatted;
  if (plan.limits.refundable <= 0) {
    return payment.capturedAmount === 0
      ? "Nothing is left to refund on this payment: nothing has been captured (void the authorisation instead)."
      : "Nothing is left to refund on this payment: everything captured has been refunded or is being refunded.";
  }
  if (amount > plan.limits.refundable) return `At most ${m(plan.limits.refundable)} can be refunded${lowerOfBoth(plan)}, and ${m(amount)} was asked.`;
  return null;
}

function captureRefusal(plan: MoneyPlan, amount: number): string | null {
  const m = (minor: number) => money(minor, plan.currency).formatted;
  if (plan.limits.capturable <= 0) return "Nothing is left to capture on this payment: it is not an open authorisation, or its captures are under way.";
  if (amount > plan.limits.capturable) return `At most ${m(plan.limits.capturable)} can be captured${lowerOfBoth(plan)}, and ${m(amount)} was asked.`;
  return null;
}

function voidRefusal(payment: LinkedPayment, plan: MoneyPlan): string | null {
  if (plan.limits.voidable) return null;
  if (payment.capturedAmount > 0) return "This payment cannot be voided: it has been captured, so refund it instead.";
  if (payment.status !== "Authorized") return `This payment cannot be voided: it is ${payment.status.toLowerCase()}, not an open authorisation.`;
  return plan.checkout.voidable
    ? "This payment cannot be voided: Shopify shows its authorisation as captured or voided already."
    : "This payment cannot be voided: a capture or a void is already under way.";
}

/** The money-service action an earlier call with this key recorded, if any. */
function earlierAction(payment: LinkedPayment, kinds: MoneyActionKind[], intent: string) {
  const keys = kinds.map((kind) => idempotencyKeyFor(payment.shopId, payment.id, kind, intent));
  return db().moneyAction.findFirst({ where: { shopId: payment.shopId, idempotencyKey: { in: keys } } });
}

const describeAction = (action: MoneyAction, payment: Pick<Payment, "amount">) =>
  `${action.kind} of ${money(action.kind === "void" ? payment.amount : (action.amount ?? 0), action.currency).formatted}`;

type CommonArgs = z.infer<z.ZodObject<typeof commonInput>>;

async function runMoneyTool(flow: ToolFlow, args: CommonArgs & Record<string, unknown>, caller: AgentCaller) {
  const payment = await findAgentPayment(caller, args.payment);
  const subject: AuditSubject = { paymentId: payment.id, orderGid: payment.orderLink?.orderGid ?? null };
  const m = (minor: number) => money(minor, payment.currency);
  const order = payment.orderLink ? { id: payment.orderLink.orderGid, name: payment.orderLink.orderName } : null;
  const intent = `mcp:${caller.tokenId}:${args.idempotency_key}`;
  const keyUse = await earlierKeyUse(caller, args.idempotency_key, flow.tool, args);
  const otherRequest = keyUse !== null && !keyUse.sameRequest ? keyReuseRefusal(args.idempotency_key, keyUse, subject) : null;
  if (otherRequest && !args.dry_run) throw otherRequest;
  const earlier = keyUse?.sameRequest ? await earlierAction(payment, flow.kinds, intent) : null;
  const moved = (action: MoneyAction) => (action.kind === "void" ? payment.amount : (action.amount ?? 0));

  // A repeat of a request already recorded is answered with its first result: nothing is checked again.
  let planned: { plan: MoneyPlan; step: Step; limits: LimitCheck["use"] } | null = null;
  if (!earlier || args.dry_run) {
    const plan = await planMoneyActions(caller.shopId, payment.id);
    if (!plan) throw new ToolRefusal(`Payment ${payment.ckoPaymentId} no longer exists in this store.`, subject);
    const step = flow.plan(payment, plan);
    const limit = await checkMoneyLimits(caller, payment.currency, step.amount, step.what);
    planned = { plan, step, limits: limit.use };
    // Nothing to move (a cancellation with nothing left): no money limit applies.
    const refusal = otherRequest?.message ?? step.refusal ?? (step.amount > 0 ? limit.refusal : null);

    if (args.dry_run) {
      const data: Output = {
        dry_run: true,
        action: flow.action,
        paymentId: payment.ckoPaymentId,
        order,
        via: plan.via,
        amount: m(earlier ? moved(earlier) : step.amount),
        limits: limit.use,
        would: {
          allowed: earlier !== null || refusal === null,
          refusal: earlier ? null : refusal,
          path: step.path,
          refundableAfter: m(step.after.refundable),
          capturableAfter: m(step.after.capturable),
          notifyCustomer: flow.notifies ? flow.notifies(plan) : null,
          restock: flow.restock ?? null,
          idempotencyKey: otherRequest ? "other_request" : keyUse ? "repeat" : "new",
        },
      };
      const outcome = earlier
        ? `This idempotency_key was already used for this same request: a real call answers with its first result (${describeAction(earlier, payment)}, ${earlier.status}) and sends nothing.`
        : refusal
          ? `A real call would be refused, sending nothing: ${refusal}`
          : `Amount: ${data.amount.formatted}. Refundable after: ${data.would!.refundableAfter.formatted}; capturable after: ${data.would!.capturableAfter.formatted}.${limit.use?.leftToday ? ` The token's daily limit leaves ${limit.use.leftToday.formatted}.` : ""}`;
      return {
        summary: `Dry run, nothing done. ${paymentName(payment)}: ${step.path} ${outcome}`,
        data,
        audit: { ...subject, details: { dryRun: true, refusal } },
      };
    }
    if (refusal) throw new ToolRefusal(refusal, subject);
  }

  // Refused above, the key stays free (nothing was asked); from here on it names this request.
  await claimIdempotencyKey(caller, args.idempotency_key, flow.tool, args, subject);
  const request: ServiceRequest = {
    shopId: caller.shopId,
    paymentId: payment.id,
    requestedBy: caller.name,
    source: "agent",
    agentTokenId: caller.tokenId,
    intent,
  };
  if (planned) {
    const { step } = planned;
    // The limits again under the payment lock, so two actions of this token asked at once cannot both pass them.
    request.check = async (locked, tx, side) =>
      (await checkMoneyLimits(caller, locked.currency, flow.amountUnderLock(locked, side, step), step.what, tx)).refusal;
  }
  const result = await flow.send(request, planned?.step ?? null);
  if (!result.ok) {
    // Still "requested": nothing is known to have moved, and the same key sends the same request again.
    const unsure = "action" in result && result.action?.status === "requested";
    throw new ToolRefusal(
      unsure ? `${result.message} Call again with the same idempotency_key to finish: it will not be done twice.` : result.message,
      subject,
    );
  }
  const action = result.action;
  const status = !action || action.status === "succeeded" ? "succeeded" : "accepted";
  const data: Output = {
    dry_run: false,
    action: flow.action,
    paymentId: payment.ckoPaymentId,
    order,
    via: (action?.via as Output["via"] | undefined) ?? planned?.plan.via ?? "checkout",
    amount: m(action ? moved(action) : 0),
    limits: planned?.limits ?? null,
    status,
    replayed: result.repeated,
    moneyActionId: action?.id ?? null,
    checkoutActionId: action?.ckoActionId ?? null,
    shopifyReference: action?.shopifyRefundId ?? action?.shopifyTransactionId ?? null,
  };
  const where = action?.via === "shopify" ? `through Shopify's order ${action.orderName ?? action.orderGid}` : "straight at Checkout.com";
  const done =
    "message" in result
      ? result.message
      : `The ${describeAction(action!, payment)} was ${status === "succeeded" ? "done" : "sent"} ${where}${status === "accepted" ? "; Shopify or Checkout.com confirm it shortly" : ""}.`;
  // A cancellation's message says so itself.
  const again =
    result.repeated && !("message" in result) ? " This idempotency_key was used before: this is the first call's result, and nothing was sent again." : "";
  return {
    summary: `${paymentName(payment)}: ${done}${again}`,
    data,
    audit: { ...subject, details: { moneyActionId: action?.id ?? null, status: action?.status ?? null, replayed: result.repeated } },
  };
}

function cancelPath(plan: MoneyPlan, kind: "void" | "refund" | null, amount: number): string {
  const m = (minor: number) => money(minor, plan.currency).formatted;
  const name = plan.order?.name ?? plan.order?.gid;
  const giveBack = kind === "void" ? "the void of the authorisation" : `the refund of ${m(amount)}`;
  if (!plan.order)
    return kind
      ? `No Shopify order is linked, so only ${giveBack} is made, at Checkout.com.`
      : "Nothing: no Shopify order is linked and nothing is left to void or refund.";
  if (!kind) return `Shopify cancels order ${name} (reason: fraud); nothing is left to void or refund.`;
  if (plan.via === "shopify")
    return `Shopify cancels order ${name} (reason: fraud) and ${kind === "void" ? "voids the authorisation" : `refunds ${m(amount)}`} through its Checkout.com payments app.`;
  return `Shopify cancels order ${name} (reason: fraud) without a refund, and ${giveBack} is made straight at Checkout.com. ${plan.directReason ?? ""}`.trimEnd();
}

export function registerMoneyTools(server: McpServer, context: AgentContext) {
  defineTool(
    server,
    context,
    {
      name: "refund_payment",
      title: "Refund a payment",
      description:
        "Refunds a captured payment (all that is refundable, or `amount` in minor units): through its Shopify order when the order holds the payment (the order shows the refund, restocks and emails as asked), else straight at Checkout.com. Refused, sending nothing, over what is refundable or over the token's money limits. Call with dry_run: true first to see the path and amounts.",
      scope: "refund",
      input: {
        ...commonInput,
        amount: z.number().int().positive().optional().describe("Minor units to refund; omitted: everything still refundable."),
        reason: reasonInput,
        notify_customer: notifyInput,
        restock: restockInput,
      },
      output,
      annotations: MONEY_ANNOTATIONS,
    },
    (args, caller) =>
      runMoneyTool(
        {
          tool: "refund_payment",
          action: "refund",
          kinds: ["refund"],
          notifies: (plan) => args.notify_customer && plan.via === "shopify",
          restock: args.restock,
          plan: (payment, plan) => {
            const amount = args.amount ?? plan.limits.refundable;
            return {
              amount,
              refusal: refundRefusal(payment, plan, amount),
              what: "this refund",
              path: pathText(plan, "refunds it"),
              after: { refundable: Math.max(0, plan.limits.refundable - amount), capturable: plan.limits.capturable },
            };
          },
          amountUnderLock: (_locked, _side, step) => step.amount,
          send: (request, step) =>
            requestMoneyAction({
              ...request,
              kind: "refund",
              // As planned (everything refundable resolved to its amount): the limits were checked for exactly it.
              amount: step?.amount ?? args.amount,
              reason: args.reason,
              notifyCustomer: args.notify_customer,
              restock: args.restock,
            }),
        },
        args,
        caller,
      ),
  );

  defineTool(
    server,
    context,
    {
      name: "void_payment",
      title: "Void an authorisation",
      description:
        "Voids a payment that is authorised and not captured, releasing the whole authorisation: through its Shopify order when the order holds the payment, else straight at Checkout.com. The Shopify order is not canceled (use cancel_order for that). Refused, sending nothing, when the payment cannot be voided or over the token's money limits (a void counts its authorised amount).",
      scope: "void_capture",
      input: commonInput,
      output,
      annotations: MONEY_ANNOTATIONS,
    },
    (args, caller) =>
      runMoneyTool(
        {
          tool: "void_payment",
          action: "void",
          kinds: ["void"],
          plan: (payment, plan) => ({
            amount: payment.amount,
            refusal: voidRefusal(payment, plan),
            what: "this void",
            path: pathText(plan, "voids the authorisation"),
            after: { refundable: 0, capturable: 0 },
          }),
          amountUnderLock: (locked) => locked.amount,
          send: (request) => requestMoneyAction({ ...request, kind: "void" }),
        },
        args,
        caller,
      ),
  );

  defineTool(
    server,
    context,
    {
      name: "capture_payment",
      title: "Capture an authorisation",
      description:
        "Captures an authorised payment (all that is capturable, or `amount` in minor units): through its Shopify order when the order holds the payment, else straight at Checkout.com. Refused, sending nothing, over what is capturable or over the token's money limits.",
      scope: "void_capture",
      input: { ...commonInput, amount: z.number().int().positive().optional().describe("Minor units to capture; omitted: everything still capturable.") },
      output,
      annotations: MONEY_ANNOTATIONS,
    },
    (args, caller) =>
      runMoneyTool(
        {
          tool: "capture_payment",
          action: "capture",
          kinds: ["capture"],
          plan: (_payment, plan) => {
            const amount = args.amount ?? plan.limits.capturable;
            return {
              amount,
              refusal: captureRefusal(plan, amount),
              what: "this capture",
              path: pathText(plan, "captures it"),
              after: { refundable: plan.limits.refundable + amount, capturable: Math.max(0, plan.limits.capturable - amount) },
            };
          },
          amountUnderLock: (_locked, _side, step) => step.amount,
          send: (request, step) => requestMoneyAction({ ...request, kind: "capture", amount: step?.amount ?? args.amount }),
        },
        args,
        caller,
      ),
  );

  defineTool(
    server,
    context,
    {
      name: "cancel_order",
      title: "Cancel an order and give the money back",
      description:
        "Cancels the payment's Shopify order (reason: fraud) and voids the authorisation, or refunds what was captured: through Shopify's order cancellation when the order holds the payment, else the order is canceled and the money goes back straight at Checkout.com. Refused, sending nothing, over the token's money limits. Call with dry_run: true first to see what it would void or refund.",
      scope: "refund",
      input: { ...commonInput, reason: reasonInput, notify_customer: notifyInput, restock: restockInput },
      output,
      annotations: MONEY_ANNOTATIONS,
    },
    (args, caller) =>
      runMoneyTool(
        {
          tool: "cancel_order",
          action: "cancel_order",
          kinds: ["void", "refund"],
          notifies: (plan) => args.notify_customer && plan.order !== null,
          restock: args.restock,
          plan: (payment, plan) => {
            // As cancelOrderAndPayment decides it: void an open authorisation, else refund what is left.
            const kind = plan.limits.voidable ? "void" : plan.limits.refundable > 0 ? "refund" : null;
            const amount = kind === "void" ? payment.amount : kind === "refund" ? plan.limits.refundable : 0;
            return {
              amount,
              refusal: null,
              what: kind === "void" ? "this cancellation's void" : "this cancellation's refund",
              path: cancelPath(plan, kind, amount),
              after: { refundable: 0, capturable: kind === "void" ? 0 : plan.limits.capturable },
            };
          },
          // Under the lock the service voids an uncaptured authorisation, else refunds everything refundable as planned.
          amountUnderLock: (locked, side) => (locked.capturedAmount === 0 ? locked.amount : side.plan.limits.refundable),
          send: (request) => cancelOrderAndPayment({ ...request, reason: args.reason, notifyCustomer: args.notify_customer, restock: args.restock }),
        },
        args,
        caller,
      ),
  );
}
