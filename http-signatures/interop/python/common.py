"""Shared helpers for the pyca-based `http-message-signatures` interop scripts."""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
TESTDATA = HERE.parent.parent / "testdata" / "interop"
KEYS = TESTDATA / "keys"

# Same fixed values as the Node scripts (interop/node/common.mjs).
NOW = 1764547200  # 2025-12-01T00:00:00Z
ACTOR = "https://remote.example/users/alice"
RSA_KEY_ID = f"{ACTOR}#main-key"
ED25519_KEY_ID = f"{ACTOR}#ed25519-key"
MOVE_BODY = json.dumps(
    {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{ACTOR}#moves/1",
        "type": "Move",
        "actor": ACTOR,
        "object": ACTOR,
        "target": "https://new.example/users/alice",
        "to": [f"{ACTOR}/followers"],
    },
    separators=(",", ":"),
).encode()


def key_bytes(name: str) -> bytes:
    return (KEYS / name).read_bytes()


class Message:
    """The minimal request interface http-message-signatures needs: method, url, headers."""

    def __init__(self, method: str, url: str, headers: dict, body: bytes = b""):
        self.method = method
        self.url = url
        self.headers = headers  # insertion-ordered; names as sent
        self.body = body


def to_raw(msg: Message) -> bytes:
    from urllib.parse import urlsplit

    u = urlsplit(msg.url)
    target = (u.path or "/") + (f"?{u.query}" if u.query else "")
    lines = [f"{msg.method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in msg.headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + msg.body


def from_raw(raw: bytes, scheme: str = "https") -> Message:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        raise ValueError("no end of header section")
    lines = head.decode("latin-1").split("\r\n")
    method, target, version = lines[0].split(" ")
    if version != "HTTP/1.1":
        raise ValueError(f"bad request line {lines[0]!r}")
    fields = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name:
            raise ValueError(f"bad field line {line!r}")
        fields.append((name, value.strip()))
    host = next((v for k, v in fields if k.lower() == "host"), None)
    if host is None:
        raise ValueError("no Host header")
    return Message(method, f"{scheme}://{host}{target}", FieldLines(fields), body)


class FieldLines(dict):
    """A dict view that still yields repeated field lines from items() (library contract)."""

    def __init__(self, fields):
        super().__init__()
        self._fields = list(fields)
        for k, v in fields:
            super().__setitem__(k, v)

    def items(self):
        return list(self._fields)
