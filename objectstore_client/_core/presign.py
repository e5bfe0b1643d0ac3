"""Pre-signed URLs (reference §11): canonical form and Ed25519 signature, no I/O.

The signed PATH is the path exactly as sent, including a base-URL prefix (proxies); HEAD is
signed as GET, so one URL serves both. Host and headers are not covered by the signature.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from .._constants import MAX_PRESIGN_SECONDS
from .._exceptions import InvalidInput
from .._models import Permission
from .plan import SessionInfo, object_path
from .urls import BaseUrl, secret_key

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
    """The string a pre-signed URL's signature covers: ``METHOD\nPATH\nQUERY``.

    ``encoded_path`` and ``encoded_query`` are percent-encoded exactly as on the wire (see
    :func:`objectstore_client.utils.encode_path` and ``encode_query``). HEAD is signed as GET;
    query parameter names are lower-cased, ``os_sig`` is left out, the ``name=value`` pairs
    (values untouched) are sorted as whole strings, duplicates kept: as the server does.
    """
    verb = method.upper()
    verb = "GET" if verb == "HEAD" else verb
    pairs = []
    for piece in encoded_query.split("&"):
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        name = name.lower()
        if name == PARAM_SIG:
            continue
        pairs.append(f"{name}{sep}{value}")
    return f"{verb}\n{encoded_path}\n{'&'.join(sorted(pairs))}"


def presigned_url(
    base_url: BaseUrl,
    session: SessionInfo,
    method: str,
    key: str,
    duration: timedelta,
    now: float,
) -> str:
    """A URL any HTTP client can GET (or HEAD) without credentials until it expires.

    Checks run in upstream's order (method, key, duration) and messages start like its.
    """
    if not isinstance(method, str) or method.upper() not in SUPPORTED_METHODS:
        raise InvalidInput(
            f"unsupported pre-signed method {method!r}, expected one of {SUPPORTED_METHODS}"
        )
    secret = secret_key(session, "pre-sign URLs")
    if not isinstance(duration, timedelta):
        raise InvalidInput(f"duration must be a timedelta, got {type(duration).__name__}")
    if duration > MAX_PRESIGN_DURATION:
        raise InvalidInput(f"duration {duration} exceeds the maximum of {MAX_PRESIGN_DURATION}")
    if duration <= timedelta(0):
        raise InvalidInput(f"duration must be positive, got {duration}: the URL would be expired")
    if Permission.OBJECT_READ not in secret.permissions:
        raise InvalidInput("the secret key lacks object.read: its pre-signed URLs would fail")
    path = base_url.path(object_path(session, key))  # as on the wire
    stamp = datetime.fromtimestamp(math.floor(now), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    seconds = math.ceil(duration.total_seconds())
    query = f"{PARAM_KID}={quote(secret.kid, safe='')}&{PARAM_TIMESTAMP}={stamp}"
    query += f"&{PARAM_DURATION}={seconds}"
    signature = secret.signature_for_canonical_form(build_canonical_form(method, path, query))
    return f"{base_url.origin}{path}?{query}&{PARAM_SIG}={signature}"
