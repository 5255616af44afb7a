// A form on an admin screen: posted with its intent (one action serves several forms), laid out by
// Polaris, with the action's reply (form-reply.server.ts) shown at its top when it answers this form.
import { Form } from "@remix-run/react";
import { Banner, FormLayout } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { FormReply } from "./form-reply.server";

export function ReplyBanner({ reply }: { reply: Pick<FormReply, "ok" | "message"> }) {
  return <Banner tone={reply.ok ? "success" : "critical"} title={reply.message} />;
}

export function IntentForm({
  intent,
  reply,
  children,
}: {
  intent: string;
  reply: Pick<FormReply, "intent" | "ok" | "message"> | undefined;
  children: ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <FormLayout>
        {reply?.intent === intent && <ReplyBanner reply={reply} />}
        {children}
      </FormLayout>
    </Form>
  );
}
