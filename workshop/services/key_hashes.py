"""Keys as the database keeps them: SHA-256 hashes; the projector key sealed for the facilitator.

Every key is at least 128 random bits, so a plain SHA-256 hash is enough (nothing to guess) and
needs no server secret: several server processes, and a restored backup, compare alike.
The facilitator screen shows the projector link again and again, so the projector key is also
kept *sealed*: XOR-ed with HMAC-SHA-512(facilitator key, a fixed label), a one-time pad only the
holder of the facilitator key can take off (each facilitator key seals exactly one value).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SEAL_LABEL = b"planverksted: projector key sealed for the facilitator"


def hash_key(key: str) -> str:
    """The hex SHA-256 of a key, as stored and looked up."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def same_hash(key: str, stored_hash: str) -> bool:
    """Whether a key hashes to the stored hash (constant time)."""
    return hmac.compare_digest(hash_key(key), stored_hash)


def seal(secret: str, facilitator_key: str) -> str:
    """The projector key sealed with the facilitator key (at most 64 bytes)."""
    data = secret.encode("utf-8")
    if len(data) > 64:
        raise ValueError("a sealed key holds at most 64 bytes")
    return base64.urlsafe_b64encode(_xor(data, facilitator_key)).decode("ascii")


def unseal(sealed: str, facilitator_key: str) -> str | None:
    """The sealed projector key, or None when the text is broken or the key is another one's."""
    try:
        opened = _xor(base64.urlsafe_b64decode(sealed.encode("ascii")), facilitator_key)
        return opened.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def _xor(data: bytes, facilitator_key: str) -> bytes:
    pad = hmac.new(facilitator_key.encode("utf-8"), SEAL_LABEL, hashlib.sha512).digest()
    return bytes(a ^ b for a, b in zip(data, pad, strict=False))
