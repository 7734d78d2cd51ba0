"""Keys a browser holds past its cookie cap, kept on the server so it can hold any number.

The browser carries one random token (the ``pv-browser`` cookie). Its workshops' keys are kept in
``browser_key`` rows found by the token's SHA-256 hash and sealed with AES-GCM under a key derived
from the token (HKDF-SHA-256); the row's browser hash and workshop code are the associated data.
The database never sees the token, so the database alone opens none of the rows, and a row
copied to another browser or workshop opens for nobody.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from workshop.models import BrowserKey, Workshop
from workshop.models.base import utcnow
from workshop.services.key_hashes import hash_key
from workshop.services.unit import read_only, unit_of_work

SEAL_LABEL = b"planverksted: a browser's workshop keys"
NONCE_BYTES = 12
KEPT_FOR = timedelta(days=60)  # as long as the workshop's own cookie would have lived


def keep_keys(token: str, held: Mapping[str, Mapping[str, str]]) -> int:
    """Keep the keys of workshops (by code) for the browser with this token; how many were kept.

    A code no workshop has (deleted since) is skipped; a workshop kept before is overwritten.
    """
    try:
        return _keep(token, held)
    except IntegrityError:  # the same browser kept the same workshop in a parallel request
        return _keep(token, held)


def kept_keys(token: str, code: str) -> dict[str, str] | None:
    """The keys kept for the browser with this token in a workshop; None when there are none or
    they do not open with this token."""
    browser = hash_key(token)
    with read_only() as session:
        row = session.execute(
            select(BrowserKey.sealed, Workshop.code)
            .join(Workshop, Workshop.id == BrowserKey.workshop_id)
            .where(BrowserKey.browser == browser, Workshop.code == code.upper())
        ).first()
    if row is None:
        return None
    return _open(token, browser, row.code, row.sealed)


def forget_expired(now: datetime | None = None) -> int:
    """Delete the keys kept longer than their cookie would have lived; how many rows went."""
    cutoff = (now or utcnow()) - KEPT_FOR
    with unit_of_work() as work:
        gone = work.session.execute(delete(BrowserKey).where(BrowserKey.written < cutoff))
        return int(getattr(gone, "rowcount", 0) or 0)


def _keep(token: str, held: Mapping[str, Mapping[str, str]]) -> int:
    browser = hash_key(token)
    codes = {code.upper(): keys for code, keys in held.items() if keys}
    with unit_of_work() as work:
        session = work.session
        workshops = session.execute(
            select(Workshop.id, Workshop.code).where(Workshop.code.in_(list(codes)))
        ).all()
        ids = [row.id for row in workshops]
        rows = {
            row.workshop_id: row
            for row in session.scalars(
                select(BrowserKey).where(
                    BrowserKey.browser == browser, BrowserKey.workshop_id.in_(ids)
                )
            )
        }
        for workshop_id, code in workshops:
            sealed = _seal(token, browser, code, codes[code])
            row = rows.get(workshop_id)
            if row is None:
                session.add(BrowserKey(browser=browser, workshop_id=workshop_id, sealed=sealed))
            else:
                row.sealed, row.written = sealed, utcnow()
    return len(workshops)


def _cipher(token: str) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEAL_LABEL)
    return AESGCM(derived.derive(token.encode("utf-8")))


def _context(browser: str, code: str) -> bytes:
    return f"{browser}:{code.upper()}".encode("ascii")


def _seal(token: str, browser: str, code: str, keys: Mapping[str, str]) -> str:
    nonce = os.urandom(NONCE_BYTES)
    plain = json.dumps(dict(keys), separators=(",", ":")).encode("utf-8")
    sealed = _cipher(token).encrypt(nonce, plain, _context(browser, code))
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def _open(token: str, browser: str, code: str, sealed: str) -> dict[str, str] | None:
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        plain = _cipher(token).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _context(browser, code)
        )
        keys = json.loads(plain)
    except (InvalidTag, ValueError):  # broken base64 or JSON are ValueErrors too
        return None
    if not isinstance(keys, dict):
        return None
    return {kind: key for kind, key in keys.items() if isinstance(key, str) and key}
