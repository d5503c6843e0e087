// Verifies every object WE signed (../testdata/interop/ours/*.json, written by the Rust test
// `tests/interop.rs` with IL_REGENERATE_INTEROP=1) with Fedify's verifyObject, plus a tampered
// copy of each (must be rejected), and Fedify's own output as a sanity check. Writes
// ../testdata/interop/fedify-verify-results.json, which the Rust test asserts on.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { verifyObject } from "@fedify/fedify/sig";
import { Create, Move, Note } from "@fedify/vocab";
import { TESTDATA, documentLoader, listJson, readJson, version } from "./common.mjs";

const classes = { Note, Create, Move };

async function verify(json) {
  const cls = classes[json.type];
  if (cls == null) throw new Error(`no class for ${json.type}`);
  try {
    const object = await verifyObject(cls, json, { documentLoader, contextLoader: documentLoader });
    return { verified: object != null };
  } catch (e) {
    return { verified: false, error: String(e) };
  }
}

function tamper(json) {
  const copy = structuredClone(json);
  if (copy.type === "Create") copy.object.content = "tampered";
  else if (copy.type === "Move") copy.target = "https://evil.example/users/mallory";
  else copy.content = "tampered";
  return copy;
}

const results = { producer: `@fedify/fedify ${version} verifyObject`, ours: [], fedify: [] };
for (const file of listJson("ours")) {
  const json = readJson("ours", file);
  results.ours.push({ file, tampered: false, ...(await verify(json)) });
  results.ours.push({ file, tampered: true, ...(await verify(tamper(json))) });
}
for (const file of listJson("fedify-signed")) {
  results.fedify.push({ file, ...(await verify(readJson("fedify-signed", file))) });
}
writeFileSync(join(TESTDATA, "fedify-verify-results.json"), JSON.stringify(results, null, 2) + "\n");
for (const r of [...results.ours, ...results.fedify]) {
  console.log(`${r.file}${r.tampered ? " (tampered)" : ""}: ${r.verified ? "verified" : "rejected"}${r.error ? " " + r.error : ""}`);
}
