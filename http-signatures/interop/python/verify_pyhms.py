#!/usr/bin/env python3
"""Verify RFC 9421 requests with the pyca-based `http-message-signatures` package.

  python verify_pyhms.py          verify ../../testdata/interop/ours/*.http that use RFC 9421
                                  -> ../../testdata/interop/results/pyhms-verify.json
  python verify_pyhms.py --self   sanity check on ../../testdata/interop/pyhms (prints only)

The package reads the wall clock; the corpus is signed at a fixed past time, so the verifier is
subclassed to check created/expires against the sidecar's `now` instead (same rules, same
5-second skew as the package).  The body is checked through the package's own Content-Digest
verification (`verify(..., body=...)`), which requires a covered digest for a non-empty body.
"""
import datetime
import importlib.metadata
import json
import sys

from http_message_signatures import HTTPMessageVerifier, MappingKeyResolver, algorithms
from http_message_signatures.exceptions import HTTPMessageSignaturesException, InvalidSignature

from common import ED25519_KEY_ID, RSA_KEY_ID, TESTDATA, from_raw, key_bytes

ALGS = {
    "rsa-v1_5-sha256": algorithms.RSA_V1_5_SHA256,
    "rsa-pss-sha512": algorithms.RSA_PSS_SHA512,
    "ed25519": algorithms.ED25519,
}
RESOLVER = MappingKeyResolver(
    public_keys={RSA_KEY_ID: key_bytes("rsa-2048.pub.pem"), ED25519_KEY_ID: key_bytes("ed25519.pub.pem")},
    private_keys={},
)


def fixed_clock_verifier(alg, now: int):
    class FixedClock(HTTPMessageVerifier):
        def validate_created_and_expires(self, sig_input, max_age=None):
            t = datetime.datetime.fromtimestamp(now, tz=datetime.timezone.utc)
            lo, hi = t - self.max_clock_skew, t + self.max_clock_skew
            params = sig_input.params
            if "created" in params:
                if self._parse_integer_timestamp(params["created"], field_name="created") > hi:
                    raise InvalidSignature('"created" is in the future')
            elif self.require_created or max_age is not None:
                raise InvalidSignature('missing "created"')
            if "expires" in params and self._parse_integer_timestamp(params["expires"], field_name="expires") < lo:
                raise InvalidSignature('"expires" is in the past')
            if max_age is not None and self._parse_integer_timestamp(params["created"], field_name="created") + max_age < lo:
                raise InvalidSignature("signature too old")

    return FixedClock(signature_algorithm=alg, key_resolver=RESOLVER)


def main():
    self_check = "--self" in sys.argv
    src = TESTDATA / ("pyhms" if self_check else "ours")
    results = []
    for sidecar_path in sorted(src.glob("*.json")):
        if sidecar_path.name == "manifest.json":
            continue
        sc = json.loads(sidecar_path.read_text())
        if sc["scheme"] != "rfc9421" or "pyhms" not in sc.get("verifiers", ["pyhms"]):
            continue  # the package implements RFC 9421 only; ours/ sidecars name their verifiers
        entry = {"id": sc["id"], "scheme": sc["scheme"], "algorithm": sc["algorithm"]}
        try:
            msg = from_raw((src / f"{sc['id']}.http").read_bytes(), sc["url"].split(":", 1)[0])
            verifier = fixed_clock_verifier(ALGS[sc["algorithm"]], sc["now"])
            res = verifier.verify(msg, max_age=datetime.timedelta(hours=1), body=msg.body)
            entry["verified"] = True
            entry["keyId"] = res[0].parameters.get("keyid")
            entry["covered"] = list(res[0].covered_components.keys())
        except (InvalidSignature, HTTPMessageSignaturesException, KeyError, ValueError) as e:
            entry["verified"] = False
            entry["reason"] = f"{type(e).__name__}: {e}"
        results.append(entry)
        print(f"{entry['id']}: {'verified' if entry['verified'] else 'NOT verified (' + entry['reason'] + ')'}")
    summary = {
        "verifier": f"http-message-signatures {importlib.metadata.version('http-message-signatures')} HTTPMessageVerifier",
        "input": "testdata/interop/pyhms" if self_check else "testdata/interop/ours",
        "total": len(results),
        "verified": sum(1 for r in results if r["verified"]),
        "results": results,
    }
    if not self_check:
        (TESTDATA / "results" / "pyhms-verify.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"{summary['verified']}/{summary['total']} verified")
    if summary["total"] == 0 or summary["verified"] != summary["total"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
