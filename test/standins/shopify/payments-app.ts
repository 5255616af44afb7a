// Shopify's Checkout.com payments app, as the stand-in plays it. When Shopify creates a REFUND,
// CAPTURE or VOID transaction on a Checkout.com parent (refundCreate, orderCapture, transactionVoid,
// orderCancel), the transaction starts PENDING and the payments app carries it out at Checkout.com
// over HTTP, a moment later:
//   POST {baseUrl}/payments/{ckoPaymentId}/refunds|captures|voids
//   Authorization: Bearer <secret key> (NAS; an ABC key is sent bare)
//   Cko-Idempotency-Key: shopify-<kind>-<transaction legacy id>   (the same on every retry)
//   {"amount": <minor units>, "reference": "<transaction gid>"}     (voids: reference only)
// 2xx: the transaction becomes SUCCESS and its receiptJson holds {action_id, reference, payment_id}.
// 4xx: FAILURE with an OrderTransactionErrorCode and Checkout.com's answer in the receipt.
// 5xx, 409, 429, network errors and timeouts are retried after each of `retryDelaysMs`, then FAILURE
// (PAYMENT_PROVIDER_ERROR). Checkout.com then sends its own webhook to the app; nothing is sent here.
// A shop with no payments app connected keeps such transactions PENDING, and the call is recorded as
// `not_connected` with a note saying so.
import { checkoutPaymentId, isCheckoutGateway } from "./order-money";
import { legacyId, type ShopifyStore, type TransactionRecord } from "./store";

export interface PaymentsAppConnection {
  /** The Checkout.com API base URL (the Checkout.com stand-in's `url`). */
  baseUrl: string;
  /** The merchant's Checkout.com secret key the payments app was set up with. */
  secretKey: string;
}

export interface PaymentsAppOptions {
  /** Waits before each retry of a 5xx/409/429/network failure; default [200, 1000, 5000] ms. */
  retryDelaysMs?: number[];
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

interface PaymentsAppAttempt {
  at: string;
  status?: number;
  error?: string;
  /** Checkout.com's JSON answer, when there was one. */
  body?: unknown;
}

export interface PaymentsAppCall {
  shop: string;
  orderId: string;
  transactionId: string;
  kind: "REFUND" | "CAPTURE" | "VOID";
  ckoPaymentId: string | null;
  method: "POST";
  url: string | null;
  path: string | null;
  idempotencyKey: string;
  body: { amount?: number; reference: string } | null;
  attempts: PaymentsAppAttempt[];
  state: "in_flight" | "succeeded" | "failed" | "not_connected";
  note: string | null;
}

const ACTION_PATHS = { REFUND: "refunds", CAPTURE: "captures", VOID: "voids" } as const;

/** ABC secret keys (sk_test_<uuid> / sk_<uuid>) go bare; NAS keys as Bearer tokens. */
function authorization(secretKey: string): string {
  return /^sk_(test_)?[0-9a-f]{8}-[0-9a-f]{4}-/i.test(secretKey) ? secretKey : `Bearer ${secretKey}`;
}

/** The closest OrderTransactionErrorCode for a Checkout.com refusal. */
function errorCodeFor(status: number, codes: string[]): string {
  if (status === 401) return "CONFIG_ERROR";
  if (codes.some((c) => c.includes("exceeds") || c.includes("greater_than"))) return "AMOUNT_TOO_LARGE";
  if (codes.includes("amount_invalid")) return "INVALID_AMOUNT";
  if (codes.some((c) => c.includes("currency"))) return "INVALID_CURRENCY";
  return "GENERIC_ERROR";
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPaymentsApp(store: ShopifyStore, options: PaymentsAppOptions = {}) {
  const retryDelaysMs = options.retryDelaysMs ?? [200, 1000, 5000];
  const timeoutMs = options.timeoutMs ?? 10_000;
  const connections = new Map<string, PaymentsAppConnection>();
  const calls: PaymentsAppCall[] = [];
  const inFlight = new Set<Promise<void>>();

  function settle(call: PaymentsAppCall, patch: { status: TransactionRecord["status"]; errorCode: string | null; receipt: unknown }) {
    store.updateTransaction(call.transactionId, {
      status: patch.status,
      errorCode: patch.errorCode,
      receiptJson: JSON.stringify(patch.receipt),
      processedAt: store.now(),
    });
    call.state = patch.status === "SUCCESS" ? "succeeded" : "failed";
  }

  async function perform(call: PaymentsAppCall, connection: PaymentsAppConnection) {
    await sleep(0); // Shopify answers the mutation first; the payments app acts afterwards.
    for (let attempt = 0; ; attempt++) {
      const record: PaymentsAppAttempt = { at: store.now() };
      call.attempts.push(record);
      let retry = false;
      try {
        const response = await fetch(call.url!, {
          method: "POST",
          headers: { Authorization: authorization(connection.secretKey), "Content-Type": "application/json", "Cko-Idempotency-Key": call.idempotencyKey },
          body: JSON.stringify(call.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        record.status = response.status;
        const text = await response.text();
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        record.body = body;
        if (response.ok) {
          const answer = (body ?? {}) as { action_id?: string; reference?: string };
          settle(call, {
            status: "SUCCESS",
            errorCode: null,
            receipt: { action_id: answer.action_id ?? null, reference: answer.reference ?? call.body?.reference ?? null, payment_id: call.ckoPaymentId },
          });
          return;
        }
        if (response.status >= 500 || response.status === 409 || response.status === 429) retry = true;
        else {
          const refusal = (body ?? {}) as { request_id?: string; error_type?: string; error_codes?: string[] };
          const codes = refusal.error_codes ?? [];
          settle(call, {
            status: "FAILURE",
            errorCode: errorCodeFor(response.status, codes),
            receipt: {
              status: response.status,
              request_id: refusal.request_id ?? response.headers.get("cko-request-id"),
              error_type: refusal.error_type ?? null,
              error_codes: codes,
              payment_id: call.ckoPaymentId,
            },
          });
          return;
        }
      } catch (error) {
        record.error = (error as Error).message;
        retry = true;
      }
      if (!retry || attempt >= retryDelaysMs.length) {
        const last = call.attempts.at(-1)!;
        settle(call, {
          status: "FAILURE",
          errorCode: "PAYMENT_PROVIDER_ERROR",
          receipt: {
            status: last.status ?? null,
            error: last.error ?? "Checkout.com did not accept the request",
            attempts: call.attempts.length,
            payment_id: call.ckoPaymentId,
          },
        });
        return;
      }
      await sleep(retryDelaysMs[attempt]);
    }
  }

  return {
    /** Sets up the payments app for a shop: where Checkout.com is and which secret key to use. */
    connect(shop: string, connection: PaymentsAppConnection) {
      connections.set(shop.toLowerCase(), { baseUrl: connection.baseUrl.replace(/\/+$/, ""), secretKey: connection.secretKey });
    },
    disconnect(shop: string) {
      connections.delete(shop.toLowerCase());
    },
    connection(shop: string): PaymentsAppConnection | undefined {
      return connections.get(shop.toLowerCase());
    },
    /** Every call the payments app made (or could not make), oldest first. */
    calls: calls as readonly PaymentsAppCall[],
    /** Resolves once no call is in flight (retries included). */
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    /** Hands a new PENDING transaction on a Checkout.com gateway to the payments app. */
    submit(orderId: string, transactionId: string) {
      const found = store.transaction(transactionId);
      if (!found || found.order.id !== orderId) throw new Error(`Unknown transaction ${transactionId} on order ${orderId}`);
      const { order, transaction } = found;
      if (!isCheckoutGateway(transaction.gateway) || !(transaction.kind in ACTION_PATHS)) return;
      const kind = transaction.kind as PaymentsAppCall["kind"];
      const ckoPaymentId = checkoutPaymentId(order, transaction);
      const connection = connections.get(order.shop);
      const reference = transaction.id;
      const path = ckoPaymentId ? `/payments/${ckoPaymentId}/${ACTION_PATHS[kind]}` : null;
      const call: PaymentsAppCall = {
        shop: order.shop,
        orderId,
        transactionId,
        kind,
        ckoPaymentId,
        method: "POST",
        url: connection && path ? `${connection.baseUrl}${path}` : null,
        path,
        idempotencyKey: `shopify-${kind.toLowerCase()}-${legacyId(transaction.id)}`,
        body: kind === "VOID" ? { reference } : { amount: transaction.amount, reference },
        attempts: [],
        state: "in_flight",
        note: null,
      };
      calls.push(call);
      if (!connection) {
        call.state = "not_connected";
        call.note = `No Checkout.com payments app is connected to ${order.shop} in the Shopify stand-in (connectPaymentsApp), so ${transaction.id} stays PENDING.`;
        return;
      }
      if (!ckoPaymentId) {
        call.note = "The parent transaction carries no Checkout.com payment id (receipt id, or a pay_ payment id or authorization code).";
        settle(call, { status: "FAILURE", errorCode: "PAYMENT_METHOD_UNAVAILABLE", receipt: { error: call.note } });
        return;
      }
      const work = perform(call, connection).catch((error) => {
        call.note = `The payments app stand-in failed: ${(error as Error).message}`;
        call.state = "failed";
      });
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
  };
}

export type PaymentsApp = ReturnType<typeof createPaymentsApp>;
