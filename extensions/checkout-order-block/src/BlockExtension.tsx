/** @jsxImportSource preact */
// Entry of the admin block (shopify.extension.toml `module`): Shopify calls the default export and
// provides the `shopify` global with the order being viewed and the i18n of the staff member's language
// (the block's words are in ../locales).
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/admin.order-details.block.render";
import { render } from "preact";
import { orderBlockLoader } from "./load";
import { OrderBlock } from "./OrderBlock";

declare const shopify: Api;

const load = orderBlockLoader((input, init) => fetch(input, init));

export default async () => {
  render(<OrderBlock orderGid={shopify.data.selected[0]?.id} load={load} i18n={shopify.i18n} />, document.body);
};
