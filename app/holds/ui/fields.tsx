// Form fields that keep their own state, for the Risk rules forms (posted as plain form fields).
import { Checkbox, TextField } from "@shopify/polaris";
import { useState, type ComponentProps } from "react";

/** A Polaris checkbox that posts "true" or "false" (an unchecked HTML checkbox posts nothing). */
export function Toggle({ name, label, helpText, initial }: { name: string; label: string; helpText?: string; initial: boolean }) {
  const [checked, setChecked] = useState(initial);
  return (
    <>
      <input type="hidden" name={name} value={checked ? "true" : "false"} />
      <Checkbox label={label} helpText={helpText} checked={checked} onChange={setChecked} />
    </>
  );
}

/** A Polaris text field starting at `initial`. */
export function Field({ initial, ...props }: Omit<ComponentProps<typeof TextField>, "value" | "onChange" | "autoComplete"> & { initial: string }) {
  const [value, setValue] = useState(initial);
  return <TextField {...props} value={value} onChange={setValue} autoComplete="off" />;
}
