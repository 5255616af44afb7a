import { describe, expect, it } from "vitest";
import { PAYMENT_STATUSES } from "../payments/status";
import { paymentStateSchema, timelineEntrySchema } from "./contract";
import { paymentState, timelineEntries, type ActivityRow, type DisputeRow } from "./timeline";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 10, minute));
let seq = 0;
const activity = (type: string, minute: number, overrides: Partial<ActivityRow> = {}): ActivityRow => ({
  id: `a${++seq}`,
  type,
  sourceKey: `evt_${seq}`,
  amount: null,
  currency: "EUR",
  summary: type,
  actor: null,
  details: "{}",
  occurredAt: at(minute),
  createdAt: at(minute),
  ...overrides,
});
const dispute = (overrides: Partial<DisputeRow> = {}): DisputeRow => ({
  ckoDisputeId: "dsp_1",
  status: "evidence_required",
  amount: 4234,
  currency: "EUR",
  receivedOn: at(50),
  createdAt: at(50),
  updatedAt: at(50),
  submittedAt: null,
  submittedBy: null,
  ...overrides,
});
const payment = { capturedAmount: 4234, currency: "EUR" };

describe("payment states", () => {
  it("maps every Checkout.com status onto a contract state", () => {
    for (const status of PAYMENT_STATUSES) expect(paymentStateSchema.safeParse(paymentState(status)).success).toBe(true);
    expect(paymentState("Paid")).toBe("captured");
    expect(paymentState("Card Verified")).toBe("authorized");
    expect(paymentState("Partially Refunded")).toBe("partially_refunded");
  });
});

describe("timeline entries", () => {
  it("orders entries by time and tells partial refunds from the last one, counting each refund action once", () => {
    const entries = timelineEntries(
      payment,
      [
        activity("payment_refunded", 30, { amount: 4000, details: JSON.stringify({ actionId: "act_2" }) }),
        activity("payment_approved", 0, { amount: 4234 }),
        activity("payment_refunded", 20, { amount: 234, details: JSON.stringify({ actionId: "act_1" }) }),
        // The same refund reported twice (NAS and a retry): counted once.
        activity("payment_refunded", 21, { amount: 234, details: JSON.stringify({ actionId: "act_1" }) }),
        activity("payment_captured", 10, { amount: 4234 }),
      ],
      [],
    );
    expect(entries.map((e) => e.type)).toEqual(["authorized", "captured", "partially_refunded", "partially_refunded", "refunded"]);
    for (const e of entries) expect(timelineEntrySchema.safeParse(e).success).toBe(true);
  });

  it("keeps the decline class of declines only, and maps holds, risk and unknown events", () => {
    const entries = timelineEntries(
      payment,
      [
        activity("payment_declined", 0, { details: JSON.stringify({ declineClass: "soft", responseCode: "20051" }) }),
        activity("hold_decided", 1),
        activity("hold_placed", 2),
        activity("hold_released", 3, { actor: "Sam" }),
        activity("payment_refund_declined", 4, { details: JSON.stringify({ declineClass: "hard" }) }),
        activity("payment_capture_pending", 5),
      ],
      [],
    );
    expect(entries.map((e) => [e.type, e.declineClass])).toEqual([
      ["declined", "soft"],
      ["flagged", null],
      ["held", null],
      ["released", null],
      ["refund_declined", null],
      ["other", null],
    ]);
    expect(entries[3].actor).toBe("Sam");
  });

  it("shows a dispute opened once, and adds what its events did not record", () => {
    const withEvents = timelineEntries(
      payment,
      [
        activity("dispute_received", 50, { details: JSON.stringify({ disputeId: "dsp_1" }) }),
        activity("dispute_evidence_required", 51, { details: JSON.stringify({ disputeId: "dsp_1" }) }),
      ],
      [dispute({ submittedAt: at(60), submittedBy: "Jane Agent <jane@example.com>", status: "won", updatedAt: at(90) })],
    );
    expect(withEvents.map((e) => e.type)).toEqual(["dispute_opened", "evidence_submitted", "dispute_won"]);
    expect(withEvents[1]).toMatchObject({ occurredAt: at(60).toISOString(), actor: "Jane Agent <jane@example.com>" });

    // The dispute arrived before its payment, so no event was recorded on the payment.
    const withoutEvents = timelineEntries(payment, [], [dispute()]);
    expect(withoutEvents).toEqual([expect.objectContaining({ type: "dispute_opened", amount: 4234, currency: "EUR", occurredAt: at(50).toISOString() })]);
  });

  it("leaves out a currency that is not an ISO code rather than break the contract", () => {
    const [entry] = timelineEntries({ capturedAmount: 0, currency: "" }, [activity("payment_pending", 0, { amount: 100, currency: "" })], []);
    expect(entry).toMatchObject({ amount: 100, currency: null });
  });
});
