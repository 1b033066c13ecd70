/**
 * `node build/run-flow.mjs`: run the flow against a live API and print its summary as JSON.
 * BASELINE_URL (default http://127.0.0.1:8000) and BASELINE_TOKEN (a key with read and write) say
 * where and as whom; FLOW_ODS_CODE names the organisation it creates (default: a random one).
 */
import { createBaselineClient } from "./client";
import { runFlow } from "./flow";

const token = process.env["BASELINE_TOKEN"];
if (!token) {
  console.error("Set BASELINE_TOKEN to an API key with the read and write scopes.");
  process.exit(2);
}
const client = createBaselineClient({
  baseUrl: process.env["BASELINE_URL"] ?? "http://127.0.0.1:8000",
  token,
});
const odsCode = process.env["FLOW_ODS_CODE"] ?? `F${Math.floor(Math.random() * 1e9)}`;
console.log(JSON.stringify(await runFlow(client, odsCode)));
