// One-off: generates the interop Ed25519 key (already committed; re-running replaces it and
// invalidates the whole corpus).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const TESTDATA = join(dirname(fileURLToPath(import.meta.url)), "..", "testdata", "interop");
const ACTOR_ID = "https://interop.example/users/alice";

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58(bytes) {
  let n = BigInt("0x" + (Buffer.from(bytes).toString("hex") || "0"));
  let out = "";
  while (n > 0n) { out = B58[Number(n % 58n)] + out; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; out = "1" + out; }
  return out;
}
const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
const pub = Buffer.from(jwk.x, "base64url");
const seed = Buffer.from(jwk.d, "base64url");
const doc = {
  note: "Test-only key for the Fedify interop corpus. Never use elsewhere.",
  publicKeyMultibase: "z" + base58(Buffer.concat([Buffer.from([0xed, 0x01]), pub])),
  privateKeyMultibase: "z" + base58(Buffer.concat([Buffer.from([0x80, 0x26]), seed])),
  jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d },
};
writeFileSync(join(TESTDATA, "keys", "ed25519.json"), JSON.stringify(doc, null, 2) + "\n");
const actor = {
  "@context": [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/data-integrity/v1",
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
  ],
  id: ACTOR_ID,
  type: "Person",
  preferredUsername: "alice",
  inbox: `${ACTOR_ID}/inbox`,
  outbox: `${ACTOR_ID}/outbox`,
  assertionMethod: [{
    id: `${ACTOR_ID}#ed25519-key`,
    type: "Multikey",
    controller: ACTOR_ID,
    publicKeyMultibase: doc.publicKeyMultibase,
  }],
};
writeFileSync(join(TESTDATA, "actor.json"), JSON.stringify(actor, null, 2) + "\n");
console.log(doc.publicKeyMultibase);
