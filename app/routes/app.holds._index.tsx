// The review queue: undecided holds first, filtered and sorted (also by order age against the ship-by
// time), selected for bulk release, cancel or assignment; each bulk action reports what it left alone.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, Layout, Page, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { holdLimitReached, holdUsage } from "../billing/billing.server";
import { HoldLimitBanner } from "../billing/ui/hold-limit-banner";
import { countDueToShip, listHolds, queueFiltersFrom, RULE_LABELS, SORTS, STATUS_FILTERS } from "../holds/queue.server";
import { assignHolds, cancelHeldOrders, releaseHolds, type BulkResult } from "../holds/review-actions.server";
import { loadRiskRules } from "../holds/rules-settings.server";
import { HoldQueueTable } from "../holds/ui/hold-queue-table";
import { UnmatchedBanner } from "../holds/ui/unmatched-banner";
import { countUnmatchedRisky } from "../holds/unmatched.server";
import { readForm } from "../lib/form";
import { assertRole, requireStaff } from "../shopify/staff.server";
import { ListFilters, PageLinks } from "../ui/list-page";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const reviewer = await requireStaff(request);
  const filters = queueFiltersFrom(new URL(request.url));
  const { shipBy } = await loadRiskRules(reviewer.shopId);
  const [page, unmatched, dueToShip, usage] = await Promise.all([
    listHolds(reviewer.shopId, filters, { userId: reviewer.userId, shipBy }),
    countUnmatchedRisky(reviewer.shopId),
    countDueToShip(reviewer.shopId, shipBy),
    holdUsage(reviewer.shopId),
  ]);
  return {
    ...page,
    unmatched,
    holdLimit: holdLimitReached(usage) ? { planName: usage.plan.name, used: usage.used, limit: usage.limit } : null,
    dueToShip,
    shipBy,
    filters,
    role: reviewer.role,
    ruleLabels: RULE_LABELS,
    statusOptions: Object.entries(STATUS_FILTERS).map(([value, f]) => ({ value, label: f.label })),
    sortOptions: Object.entries(SORTS).map(([value, s]) => ({ value, label: s.label })),
  };
};

const holdIds = z.array(z.string().uuid("Unknown hold.")).min(1, "Select at least one hold.").max(250, "Act on at most 250 holds at a time.");

const bulkSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("release"), holdIds }),
  z.object({ intent: z.literal("cancel"), holdIds }),
  z.object({ intent: z.literal("assign"), holdIds, assignee: z.enum(["me", "nobody"], { message: "Choose whom to assign the holds to." }) }),
]);

const BULK_VERBS = { release: "Released", cancel: "Canceled", assign: "Assigned" } as const;

/** One sentence per outcome: what was done, what was left alone (decided meanwhile) and what failed. */
function bulkMessage(intent: keyof typeof BULK_VERBS, result: BulkResult): string {
  const names = (rows: Array<{ orderName: string }>) => rows.map((r) => r.orderName).join(", ");
  return [
    `${BULK_VERBS[intent]} ${result.done.length} of ${result.done.length + result.skipped.length + result.failed.length}${result.done.length ? `: ${names(result.done)}` : ""}.`,
    ...result.skipped.map((s) => `Left alone: ${s.why}`),
    ...result.failed.map((f) => `Not done on ${f.orderName}: ${f.message}`),
  ].join(" ");
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "reviewer");
  const form = await readForm(request);
  // Canceling moves money (refunds and voids): Finance.
  if (form.get("intent") === "cancel") assertRole(reviewer, "finance");
  const parsed = bulkSchema.safeParse({ intent: form.get("intent"), holdIds: form.getAll("holdId"), assignee: form.get("assignee") ?? undefined });
  if (!parsed.success) return json({ ok: false as const, message: parsed.error.issues[0].message }, { status: 400 });
  const input = parsed.data;
  let result: BulkResult;
  switch (input.intent) {
    case "release":
      result = await releaseHolds(reviewer, input.holdIds);
      break;
    case "cancel":
      result = await cancelHeldOrders(reviewer, input.holdIds);
      break;
    case "assign":
      if (input.assignee === "me" && !reviewer.userId)
        return json({ ok: false as const, message: "Shopify did not say who you are; open the app from the Shopify admin and try again." }, { status: 422 });
      result = await assignHolds(reviewer, input.holdIds, input.assignee === "me" ? reviewer.userId : null);
      break;
  }
  const ok = result.failed.length === 0 && result.skipped.length === 0;
  return json({ ok, message: bulkMessage(input.intent, result) }, { status: result.done.length === 0 && result.failed.length ? 422 : 200 });
};

export default function HoldsQueue() {
  const data = useLoaderData<typeof loader>();
  const { filters, unmatched, dueToShip, shipBy, holdLimit } = data;
  const result = useActionData<typeof action>();
  const [status, setStatus] = useState<string>(filters.status);
  const [confidence, setConfidence] = useState<string>(filters.confidence);
  const [assignee, setAssignee] = useState<string>(filters.assignee);
  const [sort, setSort] = useState<string>(filters.sort);
  const [q, setQ] = useState(filters.q);
  const due = dueToShip.dueSoon + dueToShip.overdue;

  return (
    <Page
      title="Risk holds"
      subtitle="Orders held for review because of the payment's risk"
      secondaryActions={[{ content: `Unmatched payments (${unmatched})`, url: "/app/holds/unmatched" }]}
    >
      <Layout>
        {holdLimit && (
          <Layout.Section>
            <HoldLimitBanner usage={holdLimit} />
          </Layout.Section>
        )}
        {unmatched > 0 && (
          <Layout.Section>
            <UnmatchedBanner count={unmatched} />
          </Layout.Section>
        )}
        {due > 0 && (
          <Layout.Section>
            <Banner
              tone={dueToShip.overdue ? "critical" : "warning"}
              title={[
                dueToShip.overdue ? `${dueToShip.overdue} held order${dueToShip.overdue === 1 ? " is" : "s are"} past your ship-by time` : "",
                dueToShip.dueSoon ? `${dueToShip.dueSoon} ${dueToShip.dueSoon === 1 ? "is" : "are"} due to ship within ${shipBy.warningHours} hours` : "",
              ]
                .filter(Boolean)
                .join("; ")}
              action={{ content: "Show oldest orders first", url: "/app/holds?status=open&sort=order_age" }}
            >
              <p>Decide them first: a held order cannot ship, and your customers were promised delivery within {shipBy.hours} hours of ordering.</p>
            </Banner>
          </Layout.Section>
        )}
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "warning"} title={result.message} />
          </Layout.Section>
        )}
        <ListFilters>
          <Select label="Status" name="status" options={data.statusOptions} value={status} onChange={setStatus} />
          <Select
            label="Order match"
            name="confidence"
            options={[
              { label: "Any", value: "any" },
              { label: "Weak (needs a look)", value: "weak" },
              { label: "Strong", value: "strong" },
            ]}
            value={confidence}
            onChange={setConfidence}
          />
          <Select
            label="Assigned to"
            name="assignee"
            options={[
              { label: "Anyone", value: "any" },
              { label: "Me", value: "me" },
              { label: "Nobody yet", value: "unassigned" },
            ]}
            value={assignee}
            onChange={setAssignee}
          />
          <Select label="Sort by" name="sort" options={data.sortOptions} value={sort} onChange={setSort} />
          <TextField label="Search" name="q" value={q} onChange={setQ} autoComplete="off" placeholder="Order, email, name or pay_ id" />
        </ListFilters>
        <HoldQueueTable holds={data.holds} ruleLabels={data.ruleLabels} role={data.role} />
        <PageLinks page={filters.page} hasNext={filters.page < data.pages} pages={data.pages} total={{ count: data.total, noun: "hold" }} />
      </Layout>
    </Page>
  );
}
