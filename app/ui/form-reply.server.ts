// What an admin form's action answers, the same on every form screen (rules, settings, Zendesk,
// disputes): which form it answers (its intent), whether it worked, the banner's message and the
// errors to show beside fields. IntentForm (form-page.tsx) shows it on the form it belongs to.
import { json } from "@remix-run/node";

export interface FormReply<Intent extends string = string> {
  intent: Intent | null;
  ok: boolean;
  message: string;
  fieldErrors: Record<string, string>;
}

type ReplyInput<Intent extends string> = Omit<FormReply<Intent>, "fieldErrors"> & { fieldErrors?: Record<string, string> };

/** The answer to a form: 200 when it worked, else 400 unless `status` says otherwise. */
export function formReply<Intent extends string, Extra extends object = object>(reply: ReplyInput<Intent> & Extra, status = reply.ok ? 200 : 400) {
  return json({ ...reply, fieldErrors: reply.fieldErrors ?? {} }, { status });
}
