// Verifies draft-cavage requests with Misskey's and Joyent's libraries and writes the results.
//
//   node verify.mjs          verify ../../testdata/interop/ours/*.http (signed by OUR crate) that
//                            list "misskey" / "joyent" among their verifiers
//                            -> ../../testdata/interop/results/{misskey,joyent}-verify.json
//   node verify.mjs --self   sanity check: each library verifies both corpora made by sign.mjs
//                            (prints only)
//
// Keys come from the committed PEM files; time is the sidecar's `now` (Misskey takes a clock;
// Joyent reads the wall clock, so its Date-skew check is widened and the Date is checked here
// against `now` instead, with Joyent's own 300 s default).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseRequestSignature, verifyDigestHeader, verifyDraftSignature } from "@misskey-dev/node-http-message-signatures";
import httpSignature from "http-signature";
import { readKey, TESTDATA } from "../node/common.mjs";

const self = process.argv.includes("--self");
const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;

/** Raw HTTP/1.1 -> { method, url (origin form), httpVersion, headers (lower-case), body }. */
function fromRaw(bytes) {
  const sep = bytes.indexOf("\r\n\r\n");
  if (sep < 0) throw new Error("no end of header section");
  const head = bytes.subarray(0, sep).toString("latin1").split("\r\n");
  const [method, url, version] = head[0].split(" ");
  if (version !== "HTTP/1.1") throw new Error(`bad request line: ${head[0]}`);
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(":");
    if (i <= 0) throw new Error(`bad field line: ${line}`);
    const name = line.slice(0, i).toLowerCase();
    if (name in headers) throw new Error(`repeated field ${name} (not expected in these corpora)`);
    headers[name] = line.slice(i + 1).trim();
  }
  return { method, url, httpVersion: "1.1", headers, body: bytes.subarray(sep + 4) };
}

async function misskeyVerify(req, sidecar) {
  const parsed = parseRequestSignature(req, { clockSkew: { now: new Date(sidecar.now * 1000) } });
  if (parsed.version !== "draft") throw new Error(`not a draft signature: ${parsed.version}`);
  if (parsed.value.keyId !== sidecar.keyId) throw new Error(`keyId ${parsed.value.keyId}`);
  let logged = null;
  const ok = await verifyDraftSignature(parsed.value, readKey(sidecar.key.replace(/^keys\//, "")), (e) => { logged = e; });
  if (!ok) throw new Error(`signature not verified: ${logged}`);
  if (req.body.length > 0) {
    if (!parsed.value.params.headers.includes("digest")) throw new Error("digest not covered");
    const digestOk = await verifyDigestHeader(req, req.body, { failOnNoDigest: true, algorithms: ["SHA-256"] });
    if (!digestOk) throw new Error("digest mismatch");
  }
  return parsed.value.keyId;
}

async function joyentVerify(req, sidecar) {
  const date = Date.parse(req.headers.date);
  if (!(Math.abs(date - sidecar.now * 1000) <= 300_000)) throw new Error("date outside 300 s of now");
  const parsed = httpSignature.parseRequest(req, { clockSkew: 1e12 });
  if (parsed.keyId !== sidecar.keyId) throw new Error(`keyId ${parsed.keyId}`);
  if (!httpSignature.verifySignature(parsed, readKey(sidecar.key.replace(/^keys\//, "")))) {
    throw new Error("signature not verified");
  }
  if (req.body.length > 0) {
    if (!parsed.params.headers.includes("digest")) throw new Error("digest not covered");
    const want = `SHA-256=${createHash("sha256").update(req.body).digest("base64")}`;
    if (req.headers.digest !== want) throw new Error("digest mismatch");
  }
  return parsed.keyId;
}

const VERIFIERS = {
  misskey: { name: `@misskey-dev/node-http-message-signatures ${version("@misskey-dev/node-http-message-signatures")} parseRequestSignature + verifyDraftSignature + verifyDigestHeader`, run: misskeyVerify },
  joyent: { name: `http-signature ${version("http-signature")} (joyent) parseRequest + verifySignature`, run: joyentVerify },
};

function sidecars(dir) {
  return readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "manifest.json").sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
}

let failed = false;
for (const [key, verifier] of Object.entries(VERIFIERS)) {
  const dirs = self ? ["misskey", "joyent"] : ["ours"];
  const results = [];
  for (const d of dirs) {
    for (const sidecar of sidecars(join(TESTDATA, d))) {
      if (!self && !(sidecar.verifiers ?? []).includes(key)) continue;
      if (self && key === "joyent" && sidecar.algorithm === "hs2019") continue; // see README
      const entry = { id: sidecar.id, scheme: sidecar.scheme, algorithm: sidecar.algorithm };
      try {
        const req = fromRaw(readFileSync(join(TESTDATA, d, `${sidecar.id}.http`)));
        entry.keyId = await verifier.run(req, sidecar);
        entry.verified = true;
      } catch (e) {
        entry.verified = false;
        entry.reason = String(e);
      }
      results.push(entry);
      console.log(`[${key}] ${entry.id}: ${entry.verified ? "verified" : "NOT verified (" + entry.reason + ")"}`);
    }
  }
  const summary = {
    verifier: verifier.name,
    input: self ? "testdata/interop/{misskey,joyent}" : "testdata/interop/ours",
    total: results.length,
    verified: results.filter((r) => r.verified).length,
    results,
  };
  if (!self) writeFileSync(join(TESTDATA, "results", `${key}-verify.json`), JSON.stringify(summary, null, 2) + "\n");
  console.log(`[${key}] ${summary.verified}/${summary.total} verified`);
  if (summary.total === 0 || summary.verified !== summary.total) failed = true;
}
if (failed) process.exitCode = 1;
