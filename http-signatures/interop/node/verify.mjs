// Verifies requests with Fedify's verifyRequestDetailed and writes the results as JSON.
//
//   node verify.mjs            verify ../../testdata/interop/ours/*.http (signed by OUR crate)
//                              -> ../../testdata/interop/results/fedify-verify.json
//   node verify.mjs --self     sanity check: verify Fedify's own corpus (prints only)
//
// Keys are served by an in-memory document loader (no network): the actor document for
// https://remote.example/users/alice carries the RSA key as `publicKey` and the Ed25519 key as a
// FEP-521a Multikey in `assertionMethod` (and as a PEM `publicKey`, see below). JSON-LD contexts come from Fedify's preloaded set.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Temporal } from "@js-temporal/polyfill";
import { verifyRequestDetailed } from "@fedify/fedify/sig";
import { preloadedContexts } from "@fedify/vocab-runtime";
import { ACTOR, ED25519_KEY_ID, fromRaw, readKey, RSA_KEY_ID, TESTDATA } from "./common.mjs";

const self = process.argv.includes("--self");
const DIR = join(TESTDATA, self ? "fedify" : "ours");
const version = JSON.parse(readFileSync(new URL("./node_modules/@fedify/fedify/package.json", import.meta.url))).version;

function multikey(pem) {
  // SPKI for Ed25519 = 12-byte prefix + 32-byte key; Multikey = 'z' + base58btc(0xed01 + key).
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  const raw = Buffer.concat([Buffer.from([0xed, 0x01]), der.subarray(der.length - 32)]);
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let n = BigInt("0x" + raw.toString("hex"));
  let out = "";
  while (n > 0n) { out = alphabet[Number(n % 58n)] + out; n /= 58n; }
  for (const b of raw) { if (b === 0) out = "1" + out; else break; }
  return "z" + out;
}

const actorDoc = {
  "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", "https://w3id.org/security/multikey/v1"],
  id: ACTOR,
  type: "Person",
  preferredUsername: "alice",
  inbox: `${ACTOR}/inbox`,
  // Fedify's fetchKey(…, CryptographicKey) looks only at `publicKey`, so the Ed25519 key is listed
  // there too (SPKI PEM), besides the FEP-521a Multikey in `assertionMethod`.
  publicKey: [
    { id: RSA_KEY_ID, type: "Key", owner: ACTOR, publicKeyPem: readKey("rsa-2048.pub.pem") },
    { id: ED25519_KEY_ID, type: "Key", owner: ACTOR, publicKeyPem: readKey("ed25519.pub.pem") },
  ],
  assertionMethod: [{ id: ED25519_KEY_ID, type: "Multikey", controller: ACTOR, publicKeyMultibase: multikey(readKey("ed25519.pub.pem")) }],
};

async function documentLoader(url) {
  if (url in preloadedContexts) return { contextUrl: null, documentUrl: url, document: preloadedContexts[url] };
  const u = new URL(url);
  u.hash = "";
  if (u.href === ACTOR) return { contextUrl: null, documentUrl: ACTOR, document: actorDoc };
  throw new Error(`document loader: no document for ${url} (no network in interop runs)`);
}

const results = [];
for (const name of readdirSync(DIR).filter((f) => f.endsWith(".json") && f !== "manifest.json").sort()) {
  const sidecar = JSON.parse(readFileSync(join(DIR, name), "utf8"));
  // Our sidecars say which foreign verifiers the request is meant for (Fedify verifies cavage
  // with RSA only); Fedify's own corpus (--self) has no such field.
  if (sidecar.verifiers != null && !sidecar.verifiers.includes("fedify")) continue;
  const raw = readFileSync(join(DIR, `${sidecar.id}.http`));
  const scheme = new URL(sidecar.url).protocol.replace(":", "");
  let entry = { id: sidecar.id, scheme: sidecar.scheme, algorithm: sidecar.algorithm };
  try {
    const request = fromRaw(raw, scheme);
    const r = await verifyRequestDetailed(request, {
      documentLoader,
      contextLoader: documentLoader,
      currentTime: Temporal.Instant.fromEpochMilliseconds(sidecar.now * 1000),
    });
    entry.verified = r.verified;
    if (r.verified) entry.keyId = r.key.id?.href ?? null;
    else entry.reason = r.reason.type;
  } catch (e) {
    entry.verified = false;
    entry.reason = `exception: ${e}`;
  }
  results.push(entry);
  console.log(`${entry.id}: ${entry.verified ? "verified" : "NOT verified (" + entry.reason + ")"}`);
}
const summary = {
  verifier: `@fedify/fedify ${version} verifyRequestDetailed`,
  input: self ? "testdata/interop/fedify" : "testdata/interop/ours",
  total: results.length,
  verified: results.filter((r) => r.verified).length,
  results,
};
if (!self) writeFileSync(join(TESTDATA, "results", "fedify-verify.json"), JSON.stringify(summary, null, 2) + "\n");
console.log(`${summary.verified}/${summary.total} verified`);
if (summary.total === 0 || summary.verified !== summary.total) process.exitCode = 1;
