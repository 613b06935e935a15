#!/usr/bin/env -S node --import tsx
/**
 * scaleway-local: runs the local Scaleway until interrupted and prints the environment
 * that points Scaleway clients at it.
 *   scaleway-local [--data-dir <dir>] [--reset] [--port <n>] [--proxy-port <n>]
 */
import { parseArgs } from "node:util";
import { startLocalScaleway } from "./server";
import { shellQuote } from "./shellQuote";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string", default: ".sovstack/scaleway-local" },
    reset: { type: "boolean", default: false },
    port: { type: "string", default: "0" },
    "proxy-port": { type: "string", default: "0" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(`scaleway-local: a local Scaleway (REST APIs, Object Storage, real PostgreSQL) on loopback.

Options:
  --data-dir <dir>    where state, databases and the CA are kept (default .sovstack/scaleway-local)
  --reset             start clean: delete what the data folder holds
  --port <n>          port of the REST APIs (default: a free one)
  --proxy-port <n>    port of the HTTPS proxy for *.scw.cloud (default: a free one)

Faults: SCW_LOCAL_FAULTS='[{"product":"containers","rate":0.2,"statuses":[503,429]}]',
or PUT /__local/faults with the same JSON.`);
  process.exit(0);
}

const local = await startLocalScaleway({
  dataDir: values["data-dir"],
  reset: values.reset,
  port: Number(values.port),
  proxyPort: Number(values["proxy-port"]),
});
console.log(
  `Local Scaleway on ${local.apiUrl}, S3 also at ${local.s3Url} (data in ${values["data-dir"]}). Use it with:\n`,
);
for (const [name, value] of Object.entries(local.env())) console.log(`export ${name}=${shellQuote(value)}`);

const stop = async () => {
  await local.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
