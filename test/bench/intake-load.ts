// A load generator in a process of its own: signed, unique payment_approved webhooks at a steady rate
// (autocannon), so that what the benchmark process does meanwhile (the Shopify stand-in answering the
// app, the admin driving builds) does not delay the requests or their timing.
//   node --import tsx test/bench/intake-load.ts '{"url":…,"rate":300,"seconds":8,"connections":10}'
// Prints one JSON line: p50/p99/max latency (ms), accepted and non-2xx counts. `intakeLoad` runs it.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { checkoutEvent, paymentEventData, paymentFixture, signBody } from "../fixtures/checkout-events";
import { SIGNATURE_KEY } from "../helpers/factories";

export interface IntakeLoad {
  url: string;
  /** Events per second, over all connections. */
  rate: number;
  seconds: number;
  connections: number;
}

export interface IntakeResult {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  accepted: number;
  non2xx: number;
  errors: number;
}

const HERE = fileURLToPath(import.meta.url);

/** Runs the load in a child process and returns its figures. */
export function intakeLoad(load: IntakeLoad): Promise<IntakeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", HERE, JSON.stringify(load)], {
      cwd: path.resolve(path.dirname(HERE), "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as IntakeResult);
      else reject(new Error(`the load generator exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

async function run(load: IntakeLoad): Promise<IntakeResult> {
  const runId = crypto.randomBytes(4).toString("hex");
  const template = JSON.stringify(
    checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture({ id: "pay_PAYMENTID" })), { id: "evt_EVENTID" }),
  );
  let n = 0;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    overallRate: load.rate,
    duration: load.seconds,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const id = `${runId}${(n++).toString(36).padStart(18, "0")}`;
          const body = template.replace("evt_EVENTID", `evt_${id}`).replaceAll("pay_PAYMENTID", `pay_${id}`);
          return { ...request, body, headers: { "content-type": "application/json", "cko-signature": signBody(body, SIGNATURE_KEY) } };
        },
      },
    ],
  });
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    accepted: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === HERE) {
  console.log(JSON.stringify(await run(JSON.parse(process.argv[2]) as IntakeLoad)));
}
