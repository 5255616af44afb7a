import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { listHolds, queueFiltersFrom, RULE_LABELS, SORTS, STATUS_FILTERS } from "../holds/queue.server";
import { releaseHolds } from "../holds/review-actions.server";
import { requireStaff } from "../shopify/staff.server";
import { HOLD_STATUS_BADGES } from "../holds/status-badges";
import { readForm } from "../lib/form";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const reviewer = await requireStaff(request);
  const filters = queueFiltersFrom(new URL(request.url));
  const page = await listHolds(reviewer.shopId, filters);
  return {
    ...page,
    filters,
    ruleLabels: RULE_LABELS,
    statusOptions: Object.entries(STATUS_FILTERS).map(([value, f]) => ({ value, label: f.label })),
    sortOptions: Object.entries(SORTS).map(([value, s]) => ({ value, label: s.label })),
  };
};

const bulkSchema = z.object({
  intent: z.literal("release"),
  holdIds: z.array(z.string().uuid("Unknown hold.")).min(1, "Select at least one hold.").max(250, "Release at most 250 holds at a time."),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "reviewer");
  const form = await readForm(request);
  const parsed = bulkSchema.safeParse({ intent: form.get("intent"), holdIds: form.getAll("holdId") });
  if (!parsed.success) return json({ ok: false as const, message: parsed.error.issues[0].message }, { status: 400 });
  const results = await releaseHolds(reviewer, parsed.data.holdIds);
  const failed = results.filter((r) => !r.ok);
  const released = results.length - failed.length;
  const message = failed.length
    ? `Released ${released} of ${results.length}. Not released: ${failed.map((f) => f.message).join(" ")}`
    : `Released ${released} hold${released === 1 ? "" : "s"}.`;
  return json({ ok: failed.length === 0, message }, { status: failed.length && !released ? 422 : 200 });
};

export default function HoldsQueue() {
  const { holds, total, pages, filters, ruleLabels, statusOptions, sortOptions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [params] = useSearchParams();
  const [status, setStatus] = useState<string>(filters.status);
  const [confidence, setConfidence] = useState<string>(filters.confidence);
  const [sort, setSort] = useState<string>(filters.sort);
  const [q, setQ] = useState(filters.q);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(holds);
  const releasing = navigation.state !== "idle" && navigation.formData?.get("intent") === "release";

  const releaseSelected = () => {
    const form = new FormData();
    form.set("intent", "release");
    for (const id of selectedResources) form.append("holdId", id);
    submit(form, { method: "post" });
    clearSelection();
  };
  const pageUrl = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `?${next}`;
  };

  return (
    <Page title="Risk holds" subtitle="Orders held for review because of the payment's risk">
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <Form method="get">
              <InlineStack gap="300" blockAlign="end" wrap>
                <Select label="Status" name="status" options={statusOptions} value={status} onChange={setStatus} />
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
                <Select label="Sort by" name="sort" options={sortOptions} value={sort} onChange={setSort} />
                <TextField label="Search" name="q" value={q} onChange={setQ} autoComplete="off" placeholder="Order, email, name or pay_ id" />
                <Button submit>Apply filters</Button>
              </InlineStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {holds.length === 0 ? (
              <EmptyState heading="No holds here" image="">
                <p>Orders the risk rules hold appear here. Change the filters to see released or cancelled ones.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "hold", plural: "holds" }}
                itemCount={holds.length}
                selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                loading={releasing}
                promotedBulkActions={[{ content: "Release selected holds", onAction: releaseSelected }]}
                headings={[
                  { title: "Order" },
                  { title: "Customer" },
                  { title: "Amount", alignment: "end" },
                  { title: "Rules" },
                  { title: "Risk score", alignment: "end" },
                  { title: "Match" },
                  { title: "Status" },
                  { title: "Decided" },
                ]}
              >
                {holds.map((h, position) => (
                  <IndexTable.Row
                    id={h.id}
                    key={h.id}
                    position={position}
                    selected={selectedResources.includes(h.id)}
                    accessibilityLabel={`Select hold on order ${h.orderName}`}
                  >
                    <IndexTable.Cell>
                      <Link to={`/app/holds/${h.id}`} data-primary-link>
                        <Text as="span" fontWeight="semibold">
                          {h.orderName}
                        </Text>
                      </Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{h.customer}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {h.amount}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="100">
                        {h.rules.map((rule) => (
                          <Badge key={rule}>{ruleLabels[rule]}</Badge>
                        ))}
                      </InlineStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {h.riskScore ?? "–"}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{h.weakMatch ? <Badge tone="warning">Weak match</Badge> : <Badge>Strong</Badge>}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={HOLD_STATUS_BADGES[h.status]?.tone}>{HOLD_STATUS_BADGES[h.status]?.label ?? h.status}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{new Date(h.decidedAt).toLocaleString()}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="200" inlineAlign="center">
            <Text as="p" tone="subdued">
              {total} hold{total === 1 ? "" : "s"}
            </Text>
            {pages > 1 && (
              <Pagination
                hasPrevious={filters.page > 1}
                previousURL={pageUrl(filters.page - 1)}
                hasNext={filters.page < pages}
                nextURL={pageUrl(filters.page + 1)}
                label={`Page ${filters.page} of ${pages}`}
              />
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
