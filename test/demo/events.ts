// `npm run demo:events [count]`: sends a stream of Checkout.com events into the running demo.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const urlsFile = path.join(root, ".demo/urls.json");
if (!fs.existsSync(urlsFile)) {
  console.error("The demo is not running: start it with `npm run demo` in another terminal.");
  process.exit(1);
}
const { controls } = JSON.parse(fs.readFileSync(urlsFile, "utf8")) as { controls: string };
const count = Number(process.argv[2] ?? 16);
const response = await fetch(new URL("stream", controls), {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ count }),
}).catch(() => null);
if (!response) {
  console.error("The demo did not answer: is `npm run demo` still running?");
  process.exit(1);
}
const answer = (await response.json()) as { played?: Array<{ scenario: string; paymentId: string }>; error?: string };
if (!response.ok) {
  console.error(answer.error);
  process.exit(1);
}
for (const p of answer.played ?? []) console.log(`${p.scenario.padEnd(18)} ${p.paymentId}`);
console.log(`Sent ${answer.played?.length ?? 0} payments' events to the app.`);
