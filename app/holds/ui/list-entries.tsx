// Risk rules → Allow and deny lists: add an entry, and the entries with a button to remove each.
import { Form } from "@remix-run/react";
import { Button, Card, DataTable, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { IntentForm, ReplyBanner } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { LIST_KIND_LABELS, LIST_KINDS, type ListKind } from "../rules";

export interface ListEntryView {
  id: string;
  list: string;
  kind: ListKind;
  value: string;
  note: string | null;
}

export function ListEntryForm({ reply, busy }: { reply: FormReply | undefined; busy: boolean }) {
  const errors = (reply?.intent === "add-entry" ? reply.fieldErrors : undefined) ?? {};
  const [list, setList] = useState("deny");
  const [kind, setKind] = useState<string>("email");
  const [value, setValue] = useState("");
  const [note, setNote] = useState("");
  return (
    <Card>
      <IntentForm intent="add-entry" reply={reply}>
        <FormLayout.Group>
          <Select
            label="List"
            name="list"
            options={[
              { label: "Deny list", value: "deny" },
              { label: "Allow list", value: "allow" },
            ]}
            value={list}
            onChange={setList}
            error={errors.list}
          />
          <Select
            label="Kind"
            name="kind"
            options={LIST_KINDS.map((k) => ({ label: LIST_KIND_LABELS[k], value: k }))}
            value={kind}
            onChange={setKind}
            error={errors.kind}
          />
        </FormLayout.Group>
        <TextField label="Value" name="value" value={value} onChange={setValue} autoComplete="off" error={errors.value} />
        <TextField label="Note (optional)" name="note" value={note} onChange={setNote} autoComplete="off" error={errors.note} />
        <Button submit loading={busy}>
          Add to list
        </Button>
      </IntentForm>
    </Card>
  );
}

export function ListEntriesCard({ entries, reply }: { entries: ListEntryView[]; reply: FormReply | undefined }) {
  return (
    <Card>
      {reply?.intent === "remove-entry" && <ReplyBanner reply={reply} />}
      {entries.length === 0 ? (
        <Text as="p" tone="subdued">
          No entries yet.
        </Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "text", "text", "text"]}
          headings={["List", "Kind", "Value", "Note", ""]}
          rows={entries.map((e) => [
            e.list === "deny" ? "Deny" : "Allow",
            LIST_KIND_LABELS[e.kind],
            e.value,
            e.note ?? "",
            <Form method="post" key={e.id}>
              <input type="hidden" name="intent" value="remove-entry" />
              <input type="hidden" name="id" value={e.id} />
              <Button submit variant="plain" tone="critical" accessibilityLabel={`Remove ${e.value} from the ${e.list} list`}>
                Remove
              </Button>
            </Form>,
          ])}
        />
      )}
    </Card>
  );
}
