// Settings → Staff and roles: who may move money. Lists everyone who has opened the app with their
// role; admins change roles here (the server checks that too, app/shopify/staff.server.ts).
import { Form, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { STAFF_ROLES, type StaffRole } from "../roles";

export interface StaffRolesView {
  defaultRole: StaffRole;
  staff: Array<{ userId: string; name: string | null; email: string | null; owner: boolean; role: StaffRole; assigned: boolean }>;
}

/** A Polaris Select (always controlled) that posts its value with the form. */
function RoleSelect(props: { label: string; labelHidden?: boolean; options: Array<{ label: string; value: string }>; initial: string; disabled?: boolean }) {
  const [value, setValue] = useState(props.initial);
  return (
    <Select
      label={props.label}
      labelHidden={props.labelHidden}
      name="role"
      options={props.options}
      value={value}
      onChange={setValue}
      disabled={props.disabled}
    />
  );
}

export function StaffRolesCard({ view, canEdit }: { view: StaffRolesView; canEdit: boolean }) {
  const { t } = useTranslation("settings");
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? (navigation.formData?.get("userId") ?? navigation.formData?.get("intent")) : null;
  const labelOf = (role: StaffRole) => t(`roles.${role}.label`);
  const roleOptions = STAFF_ROLES.map((role) => ({ label: labelOf(role), value: role }));

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          {STAFF_ROLES.map((role) => (
            <Text as="p" key={role} tone="subdued">
              <Text as="span" fontWeight="semibold">
                {t("staff.roleHeading", { role: labelOf(role) })}
              </Text>{" "}
              {t(`roles.${role}.description`)}
            </Text>
          ))}
        </BlockStack>
        <Form method="post">
          <input type="hidden" name="intent" value="default-role" />
          <InlineStack gap="200" blockAlign="end">
            <RoleSelect label={t("staff.defaultRole")} options={roleOptions} initial={view.defaultRole} disabled={!canEdit} />
            {canEdit && (
              <Button submit loading={busy === "default-role"}>
                {t("staff.saveDefault")}
              </Button>
            )}
          </InlineStack>
        </Form>
        {view.staff.length === 0 && (
          <Text as="p" tone="subdued">
            {t("staff.empty")}
          </Text>
        )}
        {view.staff.map((member) => (
          <Form method="post" key={member.userId}>
            <input type="hidden" name="intent" value="staff-role" />
            <input type="hidden" name="userId" value={member.userId} />
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">
                  {member.name ?? member.email ?? t("staff.unnamed", { id: member.userId })}
                </Text>
                <Text as="span" tone="subdued" variant="bodySm">
                  {member.email ?? ""}
                </Text>
              </BlockStack>
              {member.owner ? (
                <Badge tone="info">{t("staff.owner")}</Badge>
              ) : canEdit ? (
                <InlineStack gap="200" blockAlign="center">
                  <RoleSelect
                    label={t("staff.roleOf", { name: member.name ?? member.email ?? member.userId })}
                    labelHidden
                    options={[{ label: t("staff.defaultOption", { role: labelOf(view.defaultRole) }), value: "default" }, ...roleOptions]}
                    initial={member.assigned ? member.role : "default"}
                  />
                  <Button submit loading={busy === member.userId}>
                    {t("staff.save")}
                  </Button>
                </InlineStack>
              ) : (
                <Badge>{labelOf(member.role)}</Badge>
              )}
            </InlineStack>
          </Form>
        ))}
      </BlockStack>
    </Card>
  );
}
