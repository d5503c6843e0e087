"""A test suite in another language using the `fep7628` CLI as a verdict oracle.

Standard library only. The binary comes from the environment variable FEP7628_BIN (run.sh builds
it); nothing is built here. Each test asks the oracle a question and checks the exit code and
the JSON fields a foreign test suite would rely on.
"""

import json
import os
import subprocess
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE.parents[2]
VECTORS = WORKSPACE.parent / "shared" / "vectors"
HS = WORKSPACE / "http-signatures" / "testdata"
BIN = os.environ.get("FEP7628_BIN", "")


def oracle(*args, stdin=b""):
    """Runs the CLI; returns (exit code, parsed JSON or None, raw stdout)."""
    proc = subprocess.run(
        [BIN, *map(str, args)],
        input=stdin,
        capture_output=True,
        timeout=30,
        check=False,
    )
    if b"panicked" in proc.stderr:
        raise AssertionError(f"fep7628 panicked: {proc.stderr.decode(errors='replace')}")
    try:
        parsed = json.loads(proc.stdout)
    except ValueError:
        parsed = None
    return proc.returncode, parsed, proc.stdout


@unittest.skipUnless(BIN, "set FEP7628_BIN to the fep7628 binary")
class HttpSignatureOracle(unittest.TestCase):
    def test_hostile_corpus_verdicts(self):
        corpus = json.loads((HS / "hostile.json").read_text())
        checked = 0
        for group in corpus["testGroups"]:
            key = HS / group["key"]["file"]
            for case in group["tests"][:12]:
                if case["result"] == "acceptable":
                    continue
                args = ["verify-request", "--key", key, "--key-id", group["key"]["keyId"],
                        "--now", case["now"], "--profile", group["policy"]]
                if "maxBody" in case:
                    args += ["--max-body", case["maxBody"]]
                code, out, _ = oracle(*args, "-", stdin=case["request"].encode())
                with self.subTest(tcId=case["tcId"]):
                    if case["result"] == "valid":
                        self.assertEqual(code, 0, out)
                        self.assertTrue(out["valid"])
                    else:
                        self.assertEqual(code, 1, out)
                        self.assertEqual(out["error"]["kind"], case["errorKind"])
                checked += 1
        self.assertGreater(checked, 50)

    def test_sign_then_verify(self):
        key = HS / "interop" / "keys" / "rsa-2048.priv.pem"
        request = (b"POST /inbox HTTP/1.1\r\nHost: local.example\r\n"
                   b"Content-Type: application/activity+json\r\nContent-Length: 2\r\n\r\n{}")
        for scheme in ("cavage", "rfc9421"):
            code, _, signed = oracle("sign-request", "--key", key, "--key-id",
                                     "https://remote.example/users/alice#main-key",
                                     "--scheme", scheme, "--now", 1764547200, "-", stdin=request)
            self.assertEqual(code, 0)
            code, out, _ = oracle("verify-request", "--key", key, "--now", 1764547260,
                                  "--profile", "strict", "-", stdin=signed)
            self.assertEqual(code, 0, out)
            self.assertEqual(out["scheme"], scheme)
            self.assertEqual(out["key_id"], "https://remote.example/users/alice#main-key")


@unittest.skipUnless(BIN, "set FEP7628_BIN to the fep7628 binary")
class DocumentOracle(unittest.TestCase):
    def test_move_vectors_inspect(self):
        code, out, _ = oracle("inspect", VECTORS / "move" / "fep-7628" / "F01-push.json")
        self.assertEqual(code, 0, out)
        self.assertEqual(out["type"], "Move")
        self.assertEqual(out["actor"], out["object"])
        self.assertEqual(out["context"]["verdict"], "ok")

    def test_e965_outcomes(self):
        for name, outcome in (("F17-both-movedTo-and-copiedTo", "FAILED"),
                              ("F24-valid-multi-homed", "PASSED")):
            code, out, _ = oracle("validate", VECTORS / "move" / "fep-e965" / f"{name}.json")
            with self.subTest(name=name):
                self.assertEqual(out["e965"], outcome, out)
                for problem in out["problems"]:
                    self.assertTrue(problem["at"] == "" or problem["at"].startswith("/"))

    def test_hostile_context_is_located(self):
        doc = {"@context": ["https://www.w3.org/ns/activitystreams",
                            {"alsoKnownAs": "https://evil.example/aka"}],
               "id": "https://a.example/u", "type": "Person",
               "alsoKnownAs": ["https://b.example/u"]}
        code, out, _ = oracle("inspect", "--no-jsonld", "-", stdin=json.dumps(doc).encode())
        self.assertEqual(code, 1, out)
        self.assertEqual(out["error"]["kind"], "context_redefines_term")
        self.assertEqual(out["error"]["at"], "/@context/1")

    def test_fep8b32_vector(self):
        base = VECTORS / "identity-links" / "fep-8b32"
        code, out, _ = oracle("verify-proof", "--actor", base / "actor.json", base / "signed.json")
        self.assertEqual(code, 0, out)
        self.assertEqual(out["cryptosuite"], "eddsa-jcs-2022")


@unittest.skipUnless(BIN, "set FEP7628_BIN to the fep7628 binary")
class MoveOracle(unittest.TestCase):
    OLD = "https://old.example/users/alice"
    NEW = "https://new.example/users/alice"

    def check(self, tmp, move, origin_aliases, target_aliases, signer=None):
        def actor(ident, aliases):
            return {"@context": "https://www.w3.org/ns/activitystreams", "id": ident,
                    "type": "Person", "inbox": ident + "/inbox", "alsoKnownAs": aliases}
        files = {}
        for name, doc in (("move", move), ("origin", actor(self.OLD, origin_aliases)),
                          ("target", actor(self.NEW, target_aliases))):
            files[name] = Path(tmp) / f"{name}.json"
            files[name].write_text(json.dumps(doc))
        args = ["check-move", "--move", files["move"], "--origin", files["origin"],
                "--target", files["target"], "--now", 1764547200]
        if signer:
            args += ["--signer", signer]
        return oracle(*args)

    def test_push_and_pull(self):
        import tempfile
        push = {"@context": "https://www.w3.org/ns/activitystreams", "type": "Move",
                "id": self.OLD + "#moves/1", "actor": self.OLD, "object": self.OLD,
                "target": self.NEW}
        pull = dict(push, id=self.NEW + "#moves/1", actor=self.NEW)
        with tempfile.TemporaryDirectory() as tmp:
            code, out, _ = self.check(tmp, push, [], [self.OLD])
            self.assertEqual((code, out["verdict"], out["mode"]), (0, "accept", "push"), out)
            code, out, _ = self.check(tmp, push, [], [])
            self.assertEqual((code, out["reason"]["kind"]), (1, "not_aliased"), out)
            code, out, _ = self.check(tmp, push, [], [self.OLD], signer="https://x.example/a")
            self.assertEqual((code, out["reason"]["kind"]), (1, "signer_mismatch"), out)
            code, out, _ = self.check(tmp, pull, [self.NEW], [self.OLD])
            self.assertEqual((code, out["mode"]), (0, "pull"), out)
            code, out, _ = self.check(tmp, pull, [], [self.OLD])
            self.assertEqual((code, out["reason"]["kind"]), (1, "missing_old_side_proof"), out)


@unittest.skipUnless(BIN, "set FEP7628_BIN to the fep7628 binary")
class HostileInputOracle(unittest.TestCase):
    def test_garbage_never_crashes(self):
        key = HS / "interop" / "keys" / "ed25519.pub.pem"
        for data in (b"", b"\x00" * 64, bytes(range(256)) * 16, b"GET\n\n"):
            for args in (["verify-request", "--key", key, "-"], ["inspect", "-"],
                         ["validate", "-"]):
                code, out, _ = oracle(*args, stdin=data)
                with self.subTest(args=args[0], data=data[:8]):
                    self.assertIn(code, (1, 2))
                    self.assertIsNotNone(out)
                    self.assertFalse(out["valid"])
                    self.assertTrue(out["error"]["message"])

    def test_usage_error_is_json(self):
        code, out, _ = oracle("verify-request")
        self.assertEqual(code, 2)
        self.assertEqual(out["error"]["kind"], "usage")


if __name__ == "__main__":
    unittest.main()
