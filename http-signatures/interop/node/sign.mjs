// Signs a fixed set of requests with Fedify's signRequest and writes them to
// ../../testdata/interop/fedify/<id>.http (raw HTTP/1.1) + <id>.json (sidecar).
//
// Fedify 2.3.x signs only with RSASSA-PKCS1-v1_5 keys (both specs: it throws
// "Unsupported algorithm: Ed25519" otherwise), so every Fedify-produced case is RSA-2048; the
// Ed25519 attempt is recorded in the manifest as unsupported rather than silently dropped.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Temporal } from "@js-temporal/polyfill";
import { signRequest } from "@fedify/fedify/sig";
import { ACTOR, ED25519_KEY_ID, importPrivateKey, MOVE_BODY, NOW, RSA_KEY_ID, TESTDATA, toRaw } from "./common.mjs";

const OUT = join(TESTDATA, "fedify");
mkdirSync(OUT, { recursive: true });
const version = JSON.parse(readFileSync(new URL("./node_modules/@fedify/fedify/package.json", import.meta.url))).version;
const producer = `@fedify/fedify ${version} signRequest`;

const rsa = await importPrivateKey("rsa-2048.priv.pem", { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" });
const ed = await importPrivateKey("ed25519.priv.pem", { name: "Ed25519" });

const currentTime = Temporal.Instant.fromEpochMilliseconds(NOW * 1000);

function post() {
  return new Request("https://local.example/users/bob/inbox", {
    method: "POST",
    headers: { "Content-Type": "application/activity+json" },
    body: MOVE_BODY,
  });
}
function get() {
  return new Request("https://local.example/users/bob", {
    method: "GET",
    headers: { Accept: "application/activity+json" },
  });
}

const cases = [
  { id: "fedify-cavage-rsa-post-move", make: post, spec: "draft-cavage-http-signatures-12", key: rsa, keyFile: "rsa-2048.pub.pem", keyId: RSA_KEY_ID, algorithm: "rsa-sha256" },
  { id: "fedify-cavage-rsa-get-actor", make: get, spec: "draft-cavage-http-signatures-12", key: rsa, keyFile: "rsa-2048.pub.pem", keyId: RSA_KEY_ID, algorithm: "rsa-sha256" },
  { id: "fedify-rfc9421-rsa-post-move", make: post, spec: "rfc9421", key: rsa, keyFile: "rsa-2048.pub.pem", keyId: RSA_KEY_ID, algorithm: "rsa-v1_5-sha256" },
  { id: "fedify-rfc9421-rsa-get-actor", make: get, spec: "rfc9421", key: rsa, keyFile: "rsa-2048.pub.pem", keyId: RSA_KEY_ID, algorithm: "rsa-v1_5-sha256" },
  { id: "fedify-rfc9421-rsa-post-expires-nonce-tag", make: post, spec: "rfc9421", key: rsa, keyFile: "rsa-2048.pub.pem", keyId: RSA_KEY_ID, algorithm: "rsa-v1_5-sha256", rfc9421: { expires: true, nonce: "n-0001", tag: "fediverse" } },
  { id: "fedify-rfc9421-rsa-post-label-covered", make: post, spec: "rfc9421", key: rsa, keyFile: "rsa-2048.pub.pem", keyId: RSA_KEY_ID, algorithm: "rsa-v1_5-sha256",
    rfc9421: { label: "fedify", components: [{ value: "@method", params: {} }, { value: "@target-uri", params: {} }, { value: "content-type", params: {} }] } },
  { id: "fedify-cavage-ed25519-post-move", make: post, spec: "draft-cavage-http-signatures-12", key: ed, keyFile: "ed25519.pub.pem", keyId: ED25519_KEY_ID, algorithm: "hs2019" },
  { id: "fedify-rfc9421-ed25519-post-move", make: post, spec: "rfc9421", key: ed, keyFile: "ed25519.pub.pem", keyId: ED25519_KEY_ID, algorithm: "ed25519" },
];

const manifest = { producer, now: NOW, written: [], unsupported: [] };
for (const c of cases) {
  let signed;
  try {
    signed = await signRequest(c.make(), c.key, new URL(c.keyId), { spec: c.spec, currentTime, rfc9421: c.rfc9421 });
  } catch (e) {
    manifest.unsupported.push({ id: c.id, spec: c.spec, error: String(e) });
    console.log(`${c.id}: not supported by Fedify: ${e}`);
    continue;
  }
  writeFileSync(join(OUT, `${c.id}.http`), await toRaw(signed));
  const sidecar = {
    id: c.id,
    producer,
    scheme: c.spec === "rfc9421" ? "rfc9421" : "cavage",
    algorithm: c.algorithm,
    url: signed.url,
    key: `keys/${c.keyFile}`,
    keyId: c.keyId,
    actor: ACTOR,
    now: NOW,
    // Both of our profiles must accept Fedify's default requests.
    expect: { mastodon: "valid", strict: "valid" },
  };
  writeFileSync(join(OUT, `${c.id}.json`), JSON.stringify(sidecar, null, 2) + "\n");
  manifest.written.push(c.id);
  console.log(`${c.id}: written`);
}
writeFileSync(join(OUT, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
