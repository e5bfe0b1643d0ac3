"""Pre-signed URLs (reference §11): canonical form and Ed25519 signature, no I/O.

The signed PATH is the path exactly as sent, including a base-URL prefix (proxies); HEAD is
signed as GET, so one URL serves both. Host and headers are not covered by the signature.
"""

from __future__ import annotations

import base64
import math
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from .._constants import MAX_PRESIGN_SECONDS
from .._exceptions import InvalidInput
from .._models import Permission
from .plan import SessionInfo, object_path
from .urls import BaseURL, base_origin, secret_key

__all__ = [
    "MAX_PRESIGN_DURATION",
    "PARAM_DURATION",
    "PARAM_KID",
    "PARAM_SIG",
    "PARAM_TIMESTAMP",
    "SUPPORTED_METHODS",
    "build_canonical_form",
    "presigned_url",
]

PARAM_TIMESTAMP = "os_timestamp"
PARAM_DURATION = "os_duration"
PARAM_KID = "os_kid"
PARAM_SIG = "os_sig"
MAX_PRESIGN_DURATION = timedelta(seconds=MAX_PRESIGN_SECONDS)
SUPPORTED_METHODS = ("GET", "HEAD")


def build_canonical_form(method: str, encoded_path: str, encoded_query: str) -> str:
    """``METHOD\\nPATH\\nQUERY``: HEAD as GET; query pairs without ``os_sig``, names
    lower-cased, values untouched, sorted as whole strings (duplicates kept)."""
    verb = method.upper()
    verb = "GET" if verb == "HEAD" else verb
    pairs = []
    for piece in encoded_query.split("&"):
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        if name == PARAM_SIG:
            continue
        pairs.append(f"{name.lower()}{sep}{value}")
    return f"{verb}\n{encoded_path}\n{'&'.join(sorted(pairs))}"


def presigned_url(
    base_url: BaseURL,
    session: SessionInfo,
    method: str,
    key: str,
    duration: timedelta,
    now: float,
) -> str:
    """A URL any HTTP client can GET (or HEAD) without credentials until it expires."""
    if not isinstance(method, str) or method.upper() not in SUPPORTED_METHODS:
        raise InvalidInput(f"method must be GET or HEAD, got {method!r}")
    if not isinstance(duration, timedelta):
        raise InvalidInput(f"duration must be a timedelta, got {type(duration).__name__}")
    if duration <= timedelta(0) or duration > MAX_PRESIGN_DURATION:
        raise InvalidInput(f"duration must be > 0 and at most 7 days, got {duration}")
    secret = secret_key(session, "pre-sign URLs")
    if Permission.OBJECT_READ not in secret.permissions:
        raise InvalidInput("the secret key lacks object.read: its pre-signed URLs would fail")
    suffix = object_path(session, key)
    path = base_url.raw_path.decode("ascii").rstrip("/") + suffix  # as on the wire
    stamp = datetime.fromtimestamp(math.floor(now), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    seconds = math.ceil(duration.total_seconds())
    query = f"{PARAM_KID}={quote(secret.kid, safe='')}&{PARAM_TIMESTAMP}={stamp}"
    query += f"&{PARAM_DURATION}={seconds}"
    message = build_canonical_form(method, path, query).encode("utf-8")
    signature = base64.urlsafe_b64encode(secret._key.sign(message)).rstrip(b"=").decode("ascii")
    return f"{base_origin(base_url)}{suffix}?{query}&{PARAM_SIG}={signature}"
