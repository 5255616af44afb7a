// Risk rules → Allow and deny lists: add an entry, and the entries with a button to remove each.
import { Form } from "@remix-run/react";
import { Button, Card, DataTable, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IntentForm, ReplyBanner } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { LIST_KINDS, type ListKind } from "../rules";

export interface ListEntryView {
  id: string;
  list: string;
  kind: ListKind;
  value: string;
  note: string | null;
}

export function ListEntryForm({ reply, busy }: { reply: FormReply | undefined; busy: boolean }) {
  const { t } = useTranslation("holds");
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
            label={t("lists.list")}
            name="list"
            options={[
              { label: t("lists.denyList"), value: "deny" },
              { label: t("lists.allowList"), value: "allow" },
            ]}
            value={list}
            onChange={setList}
            error={errors.list}
          />
          <Select
            label={t("lists.kind")}
            name="kind"
            options={LIST_KINDS.map((k) => ({ label: t(`listKind.${k}`), value: k }))}
            value={kind}
            onChange={setKind}
            error={errors.kind}
          />
        </FormLayout.Group>
        <TextField label={t("lists.value")} name="value" value={value} onChange={setValue} autoComplete="off" error={errors.value} />
        <TextField label={t("lists.noteOptional")} name="note" value={note} onChange={setNote} autoComplete="off" error={errors.note} />
        <Button submit loading={busy}>
          {t("lists.add")}
        </Button>
      </IntentForm>
    </Card>
  );
}

export function ListEntriesCard({ entries, reply }: { entries: ListEntryView[]; reply: FormReply | undefined }) {
  const { t } = useTranslation("holds");
  return (
    <Card>
      {reply?.intent === "remove-entry" && <ReplyBanner reply={reply} />}
      {entries.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("lists.noEntries")}
        </Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "text", "text", "text"]}
          headings={[t("lists.list"), t("lists.kind"), t("lists.value"), t("lists.note"), ""]}
          rows={entries.map((e) => [
            e.list === "deny" ? t("lists.deny") : t("lists.allow"),
            LIST_KINDS.includes(e.kind) ? t(`listKind.${e.kind}`) : e.kind,
            e.value,
            e.note ?? "",
            <Form method="post" key={e.id}>
              <input type="hidden" name="intent" value="remove-entry" />
              <input type="hidden" name="id" value={e.id} />
              <Button
                submit
                variant="plain"
                tone="critical"
                accessibilityLabel={e.list === "deny" ? t("lists.removeFromDeny", { value: e.value }) : t("lists.removeFromAllow", { value: e.value })}
              >
                {t("lists.remove")}
              </Button>
            </Form>,
          ])}
        />
      )}
    </Card>
  );
}
