"""Client configuration: upstream-compatible arguments converted once, into frozen values.

``connection_kwargs`` mapping onto the httpx client (anything else raises InvalidInput):

==================  ==========================================================================
key                 meaning
==================  ==========================================================================
``headers``         extra default headers for every request (merged over ``User-Agent``)
``verify``          TLS verification: ``True`` (default: the system trust store, see
                    ``tls_context``), ``False``, a CA file or directory, or an SSLContext
``cert``            client certificate: a path, or ``(cert, key)`` / ``(cert, key, password)``
``limits``          an ``httpx.Limits`` (default: 32 kept alive, more opened while all are
                    busy; AsyncClient on the httpx engine: at most 8, see
                    ``ASYNC_MAX_CONNECTIONS``). A ``max_connections`` is a cap: requests
                    beyond it wait up to the pool timeout
``timeout``         an ``httpx.Timeout``, seconds, or a ``urllib3.Timeout`` (its connect and
                    read timeouts), replacing every timeout of the client
``proxy``           a proxy URL or ``httpx.Proxy`` (environment proxies are not used)
``transport``       an httpx transport (sync for Client, async for AsyncClient); replaces
                    ``verify``, ``cert``, ``limits`` and ``proxy``
``maxsize``         urllib3 spelling: connections kept alive; more are opened while all
                    are busy, unless ``block`` is true (then ``maxsize`` is a cap)
``ca_certs``        urllib3 spelling: CA bundle path
``cert_file``,      urllib3 spelling: client certificate and key paths
``key_file``
``cert_reqs``       urllib3 spelling: ``"CERT_NONE"`` disables verification
``retries``         urllib3 spelling: an int, same as the ``retries`` argument, or a
                    ``urllib3.Retry`` (its ``connect`` count, else ``total``)
``block``           urllib3 spelling, with ``maxsize``: wait for a free connection (up to
                    the pool timeout) instead of opening more
==================  ==========================================================================
"""

from __future__ import annotations

import ipaddress
import os
import re
import ssl
import sys
import warnings
from collections.abc import Mapping
from typing import Any

import attrs

from ._constants import (
    ASYNC_MAX_CONNECTIONS,
    DEFAULT_BATCH_CONCURRENCY,
    DEFAULT_CONNECT_TIMEOUT_S,
    DEFAULT_DECODE_THREADS,
    DEFAULT_INDIVIDUAL_CONCURRENCY,
    DEFAULT_MAX_KEEPALIVE_CONNECTIONS,
    DEFAULT_MULTIPART_THRESHOLD_BYTES,
    DEFAULT_PART_SIZE_BYTES,
    DEFAULT_POOL_TIMEOUT_S,
    DEFAULT_READ_TIMEOUT_S,
    DEFAULT_UPLOAD_CONCURRENCY,
    DEFAULT_WRITE_TIMEOUT_S,
    MIN_PART_SIZE_BYTES,
    RECOMMENDED_MIN_PART_SIZE_BYTES,
    USER_AGENT_PREFIX,
)
from ._core.retry import RetryPolicy
from ._core.validate import check_header_name, check_header_value
from ._exceptions import InvalidInput
from ._version import __version__

__all__ = [
    "ASYNC_DEFAULT_LIMITS",
    "PoolSize",
    "SYNC_DEFAULT_LIMITS",
    "BatchConfig",
    "ClientConfig",
    "TransferConfig",
    "Limits",
    "Timeout",
    "Url",
    "build_config",
    "httpx_kwargs",
    "tls_context",
]

#: The default pool size: (max_connections, max_keepalive_connections), None for no cap.
PoolSize = tuple["int | None", int]
SYNC_DEFAULT_LIMITS: PoolSize = (None, DEFAULT_MAX_KEEPALIVE_CONNECTIONS)
ASYNC_DEFAULT_LIMITS: PoolSize = (ASYNC_MAX_CONNECTIONS, ASYNC_MAX_CONNECTIONS)

_HTTPX_KEYS = ("headers", "verify", "cert", "limits", "timeout", "proxy", "transport")
_URLLIB3_KEYS = ("maxsize", "ca_certs", "cert_file", "key_file", "cert_reqs", "retries", "block")


USER_AGENT = f"{USER_AGENT_PREFIX}/{__version__}"


@attrs.frozen
class Url:
    """A parsed base URL, in the shape the engines read (``httpx.URL``'s attribute names), so
    that a client on the default engine needs no httpx to parse it."""

    scheme: str
    #: lowercase, IPv6 without brackets
    host: str
    #: None for the scheme's default port (as httpx reports it)
    port: int | None
    #: the path as sent (percent-encoded), at least ``/``
    raw_path: bytes
    #: the URL as configured (default port dropped), for repr and messages
    text: str

    @property
    def raw_host(self) -> bytes:
        """The host, ASCII."""
        return self.host.encode("ascii")

    @property
    def netloc(self) -> bytes:
        """``host[:port]`` as the Host header carries it (IPv6 bracketed)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return (host if self.port is None else f"{host}:{self.port}").encode("ascii")

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Timeout:
    """The four timeouts of a client, in seconds (None: no timeout)."""

    connect: float | None
    read: float | None
    write: float | None
    pool: float | None


@attrs.frozen
class Limits:
    """The pool size of a client (``httpx.Limits``' attribute names)."""

    max_connections: int | None
    max_keepalive_connections: int | None
    #: seconds an idle connection is kept (httpx's default)
    keepalive_expiry: float | None = 5.0


@attrs.frozen
class ClientConfig:
    """Everything a client needs, validated and converted from the constructor arguments.

    ``http_kwargs`` holds the engine options as the SDK's own values (``Url``, header pairs,
    ``Timeout``, ``Limits``): the default engine reads them without httpx;
    :attr:`httpx_kwargs` converts them for ``httpx.Client``.
    """

    base_url: Url
    retry: RetryPolicy
    http_kwargs: dict[str, Any] = attrs.field(eq=False)
    transport: Any = attrs.field(default=None, eq=False)

    @property
    def httpx_kwargs(self) -> dict[str, Any]:
        """The engine options as ``httpx.Client`` takes them (imports httpx)."""
        return httpx_kwargs(self.http_kwargs)


def httpx_kwargs(http_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Engine options (the SDK's values or httpx's) as ``httpx.Client`` takes them."""
    import httpx

    kwargs = dict(http_kwargs)
    kwargs["base_url"] = httpx.URL(str(kwargs["base_url"]))
    kwargs["headers"] = httpx.Headers(kwargs.get("headers") or {})
    timeout = kwargs["timeout"]
    kwargs["timeout"] = httpx.Timeout(
        connect=timeout.connect, read=timeout.read, write=timeout.write, pool=timeout.pool
    )
    limits = kwargs["limits"]
    kwargs["limits"] = httpx.Limits(
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
    )
    return kwargs


def _httpx_type(value: object, name: str) -> bool:
    """Whether ``value`` is an instance of ``httpx.<name>``, without importing httpx (a caller
    holding an httpx object has imported it)."""
    httpx_module = sys.modules.get("httpx")
    return httpx_module is not None and isinstance(value, getattr(httpx_module, name))


def _positive_int(minimum: int) -> Any:
    def check(_instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise InvalidInput(f"{attribute.name} must be an int >= {minimum}, got {value!r}")

    return check


def _check_part_size(instance: Any, attribute: Any, value: Any) -> None:
    _positive_int(MIN_PART_SIZE_BYTES)(instance, attribute, value)
    if value < RECOMMENDED_MIN_PART_SIZE_BYTES:
        warnings.warn(
            f"part_size {value} is below 5 MiB: production Objectstore (GCS) rejects parts "
            "this small except the last one; use it only against the local server",
            UserWarning,
            stacklevel=2,
        )


@attrs.frozen
class TransferConfig:
    """Knobs of ``Session.upload`` (automatic single put or parallel multipart upload) and
    ``Session.download`` (parallel ranged GETs).

    Memory bound: at most ``concurrency x part_size`` bytes of the source are held at once
    (each part is compressed in a worker while its raw bytes are released, so a part never
    needs more than about ``part_size`` bytes plus one 1 MiB read chunk). With the defaults
    (concurrency: the number of cores, between 2 and 4): at most 4 x 16 MiB = 64 MiB. Native
    memory comes on top (zstd contexts, the compressed copy of each part in flight, the
    worker threads' malloc arenas): ``scripts/upload-memory.py`` measured a process RSS
    growth of about ``2 x concurrency x part_size`` (62 MiB for 4 x 8 MiB).

    :param multipart_threshold: sources of known size at least this large (default 64 MiB)
        use a multipart upload, smaller ones a single streamed put. Streams of unknown length
        use multipart as soon as they are longer than one part.
    :param part_size: bytes of the source per part, before compression (default 16 MiB; at
        least 1 KiB; below 5 MiB a warning is emitted because production rejects such parts).
    :param concurrency: parts in flight at the same time (at least 1; default: the number of
        cores, at least 2 and at most 4). ``Session.download`` reads ranges of ``part_size``
        stored bytes, ``concurrency`` at a time, and holds at most ``concurrency x
        part_size`` bytes: the ranges read ahead plus the frames being decoded and their
        output (one range and one frame always go ahead).
    :param compress_threads: zstd worker threads compressing an upload that goes as a single
        put (at least 1; default None: every core for sources of known size from 16 MiB,
        one thread otherwise). Either way, the first 256 KiB are compressed once
        single-threaded and the upload stays single-threaded when that saves under 10%
        (threads do not speed up incompressible data). Multipart parts are compressed one
        per worker, single-threaded: ``concurrency`` already spreads them over the cores.
    :param decode_threads: threads that decode the zstd frames of a compressed object in
        ``Session.download`` (at least 1; default: the number of cores, at most 4; 1 decodes
        it as one stream). Each holds one frame and its output (8 MiB each as the SDK writes
        them, at most 32 MiB), counted against the download's ``concurrency x part_size``.
    """

    multipart_threshold: int = attrs.field(
        default=DEFAULT_MULTIPART_THRESHOLD_BYTES, validator=_positive_int(0), kw_only=True
    )
    part_size: int = attrs.field(
        default=DEFAULT_PART_SIZE_BYTES, validator=_check_part_size, kw_only=True
    )
    concurrency: int = attrs.field(
        default=DEFAULT_UPLOAD_CONCURRENCY, validator=_positive_int(1), kw_only=True
    )
    decode_threads: int = attrs.field(
        default=DEFAULT_DECODE_THREADS, validator=_positive_int(1), kw_only=True
    )
    compress_threads: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_positive_int(1)), kw_only=True
    )

    @property
    def max_memory(self) -> int:
        """The memory bound in bytes: ``concurrency * part_size``."""
        return self.concurrency * self.part_size


@attrs.frozen
class BatchConfig:
    """Concurrency of batch operations (``get_many``, ``put_many``, ...).

    :param batch_concurrency: batch requests in flight at the same time (default 3).
    :param individual_concurrency: individual requests (inserts too large for a batch) in
        flight at the same time (default 5).
    """

    batch_concurrency: int = attrs.field(
        default=DEFAULT_BATCH_CONCURRENCY, validator=_positive_int(1), kw_only=True
    )
    individual_concurrency: int = attrs.field(
        default=DEFAULT_INDIVIDUAL_CONCURRENCY, validator=_positive_int(1), kw_only=True
    )


#: A base URL that httpx would leave as it is (lowercase host or IPv4/IPv6 address, explicit
#: port, a path of URL characters and valid escapes, no query or fragment): parsed here. Any
#: other spelling is parsed, normalised or refused by httpx as before.
_PLAIN_URL = re.compile(
    r"(?P<scheme>(?-i:https?))://"  # httpx keeps the default port of "HTTP://"
    r"(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?"
    r"(?P<path>(?:/(?:[a-z0-9._~!$&'()*+,;=:@-]|%[0-9a-f]{2})*)*)",
    re.IGNORECASE,
)


def _plain_url(value: str) -> Url | None:
    match = _PLAIN_URL.fullmatch(value)
    if match is None:
        return None
    scheme, host, port_text, path = match.group("scheme", "host", "port", "path")
    if not host.startswith("["):
        host = host.lower()  # as httpx spells a name (an IPv6 address it keeps as given)
    if "xn--" in host or any(part in (".", "..") for part in path.split("/")):
        return None  # IDNA and dot segments: httpx checks or removes them
    try:
        if host.startswith("["):
            host = host[1:-1]
            if str(ipaddress.IPv6Address(host)) != host:
                return None  # httpx's spelling of it is not checked here
        elif host.replace(".", "").isdigit():
            ipaddress.IPv4Address(host)
    except ValueError:
        return None
    port = int(port_text) if port_text else None
    if port is not None and port > 65535:
        return None
    if port == (443 if scheme == "https" else 80):
        port = None
    url = Url(scheme, host, port, (path or "/").encode("ascii"), "")
    return attrs.evolve(url, text=f"{scheme}://{url.netloc.decode('ascii')}{path}")


def _base_url(value: object) -> Url:
    if isinstance(value, str):
        plain = _plain_url(value)
        if plain is not None:
            return plain
    elif not _httpx_type(value, "URL"):
        raise InvalidInput(f"base_url must be a str, got {type(value).__name__}")
    import httpx  # any other spelling: httpx parses (and normalises or refuses) it as before

    try:
        url = httpx.URL(str(value))
    except httpx.InvalidURL as exc:
        raise InvalidInput(f"invalid base_url {value!r}: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidInput(f"base_url must be an absolute http(s) URL, got {value!r}")
    if url.query or url.fragment:
        raise InvalidInput(f"base_url must not have a query or fragment, got {value!r}")
    return Url(url.scheme, url.host, url.port, url.raw_path, str(url))


def _timeout(timeout_ms: float | None) -> Timeout:
    read = DEFAULT_READ_TIMEOUT_S
    if timeout_ms is not None:
        if timeout_ms < 0:
            raise InvalidInput(f"timeout_ms must not be negative, got {timeout_ms}")
        # upstream ignores 0 (falsy); so do we: no read timeout
        read = timeout_ms / 1000 if timeout_ms else None
    return Timeout(
        connect=DEFAULT_CONNECT_TIMEOUT_S,
        read=read,
        write=DEFAULT_WRITE_TIMEOUT_S,
        pool=DEFAULT_POOL_TIMEOUT_S,
    )


def _timeout_option(value: Any) -> Timeout:
    """``connection_kwargs["timeout"]``: seconds or None for all four, a ``urllib3.Timeout``,
    or what ``httpx.Timeout`` takes (an ``httpx.Timeout``, a tuple)."""
    value = _urllib3_timeout(value)
    if isinstance(value, Timeout):
        return value
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return Timeout(value, value, value, value)
    import httpx  # a caller's httpx spelling

    timeout = httpx.Timeout(value)
    return Timeout(timeout.connect, timeout.read, timeout.write, timeout.pool)


def _extra_headers(value: object) -> list[tuple[str, str]]:
    """``connection_kwargs["headers"]``, checked like every header the SDK sends (values may
    be secrets: messages name the header and the position, never the value). Names are
    lowercased, as httpx did."""
    if value is None:
        return []
    items = _plain_headers(value)
    if items is None:
        import httpx  # other shapes (bytes, an httpx.Headers): httpx reads them as before

        try:
            items = httpx.Headers(value).multi_items()  # type: ignore[arg-type]
        except (TypeError, ValueError, AttributeError):
            raise InvalidInput(
                f"connection_kwargs['headers'] must map str to str, got {type(value).__name__}"
            ) from None
    for name, item in items:
        check_header_name(name)
        check_header_value(f"header {name!r}", item)
    return items


def _plain_headers(value: object) -> list[tuple[str, str]] | None:
    """A mapping or sequence of pairs of ASCII str, as (lowercase name, value); else None."""
    if isinstance(value, Mapping) and not _httpx_type(value, "Headers"):
        pairs: Any = list(value.items())
    elif isinstance(value, (list, tuple)):
        pairs = value
    else:
        return None
    items: list[tuple[str, str]] = []
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            return None
        name, item = pair
        if not (isinstance(name, str) and isinstance(item, str)):
            return None
        if not (name.isascii() and item.isascii()):
            return None
        items.append((name.lower(), item))
    return items


def _merged_headers(extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The client's header fields: the defaults, those named again replaced by ``extra``
    (appended after the rest, as ``httpx.Headers.update`` orders them)."""
    fields = [("User-Agent", USER_AGENT), ("Accept-Encoding", "identity")]
    names = {name.lower() for name, _ in extra}
    return [field for field in fields if field[0].lower() not in names] + extra


def _retry_policy(value: object) -> RetryPolicy:
    """``retries``: None (the defaults), a number of retries (default deadline), or a
    :class:`RetryPolicy` for the deadline, backoff and Retry-After cap too."""
    if value is None:
        return RetryPolicy()
    if isinstance(value, RetryPolicy):
        return value
    return RetryPolicy(_retries(value))


def _retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"retries must be a non-negative int, got {value!r}")
    return value


def _pool_size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"maxsize must be an int >= 1, got {value!r}")
    return value


def _number(value: object) -> float | None:
    """Seconds, or None for urllib3's "not set" sentinel and None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _urllib3_timeout(value: Any) -> Any:
    """A ``urllib3.Timeout`` (upstream's ``connection_kwargs["timeout"]``) as a Timeout;
    anything else as given. Duck-typed: urllib3 is not a dependency. ``total`` caps both."""
    if not (hasattr(value, "connect_timeout") and hasattr(value, "total")):
        return value
    total = _number(value.total)
    connect = _number(value.connect_timeout)
    try:
        read = _number(value.read_timeout)
    except Exception:  # urllib3 computes it from a started connection when total is set
        read = total
    return Timeout(
        connect=connect,
        read=read,
        write=DEFAULT_WRITE_TIMEOUT_S,
        pool=DEFAULT_POOL_TIMEOUT_S,
    )


def _urllib3_retries(value: Any) -> Any:
    """A ``urllib3.Retry`` as the number of connection retries (its ``connect``, else its
    ``total``); anything else as given. Only connection errors are ever retried upstream."""
    if not (hasattr(value, "connect") and hasattr(value, "total") and hasattr(value, "read")):
        return value
    for count in (value.connect, value.total):
        if isinstance(count, int) and not isinstance(count, bool):
            return count
    return RetryPolicy().max_retries


def _limits(value: Any) -> Any:
    """A caller's ``limits`` (an ``httpx.Limits``) as Limits; anything else as given."""
    if not hasattr(value, "max_keepalive_connections"):
        return value
    return Limits(value.max_connections, value.max_keepalive_connections, value.keepalive_expiry)


def build_config(
    base_url: str,
    *,
    retries: int | RetryPolicy | None,
    timeout_ms: float | None,
    connection_kwargs: Mapping[str, Any] | None,
    default_limits: PoolSize | None = None,
) -> ClientConfig:
    """Convert the upstream-compatible constructor arguments, once.

    ``default_limits`` is the pool size unless ``limits`` or ``maxsize`` is given (sync
    clients: SYNC_DEFAULT_LIMITS; async clients pass ASYNC_DEFAULT_LIMITS).
    """
    url = _base_url(base_url)
    options = dict(connection_kwargs or {})
    unknown = sorted(set(options) - set(_HTTPX_KEYS) - set(_URLLIB3_KEYS))
    if unknown:
        allowed = ", ".join((*_HTTPX_KEYS, *_URLLIB3_KEYS))
        raise InvalidInput(
            f"unknown connection_kwargs {', '.join(unknown)}; supported keys: {allowed}"
        )
    retry = _retry_policy(
        _urllib3_retries(options.pop("retries")) if "retries" in options else retries
    )
    block = options.pop("block", False)
    if not isinstance(block, bool):
        raise InvalidInput(f"block must be True or False, got {block!r}")

    size = default_limits or SYNC_DEFAULT_LIMITS
    kwargs: dict[str, Any] = {
        "base_url": url,
        "headers": _merged_headers(_extra_headers(options.pop("headers", None))),
        # one shape for every engine: connect, read, write and pool timeouts
        "timeout": (
            _timeout_option(options.pop("timeout"))
            if "timeout" in options
            else _timeout(timeout_ms)
        ),
        "limits": _limits(options.pop("limits", None) or Limits(size[0], size[1])),
        "trust_env": False,
        "follow_redirects": False,
    }
    if "maxsize" in options:
        maxsize = _pool_size(options.pop("maxsize"))
        kwargs["limits"] = Limits(maxsize if block else None, maxsize)
    _tls_options(options, kwargs)
    for key in ("verify", "cert", "proxy"):
        if key in options:
            kwargs[key] = options.pop(key)
    if url.scheme == "https":
        # one context for every engine, built once (loading a trust store takes ~50 ms)
        try:
            kwargs["verify"] = tls_context(kwargs.pop("verify", True), kwargs.pop("cert", None))
        except (OSError, ssl.SSLError, TypeError) as exc:
            raise InvalidInput(f"invalid TLS settings (verify, cert, ca_certs): {exc}") from exc
    transport = options.pop("transport", None)
    return ClientConfig(url, retry, kwargs, transport)


def tls_context(verify: Any = True, cert: Any = None) -> ssl.SSLContext:
    """The TLS context for https, as urllib3 (and so upstream) builds it, without httpx's
    deprecation warnings.

    ``verify=True`` (the default) trusts the system store: ``ssl.create_default_context()``
    loads OpenSSL's default paths, which honour ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``, where
    company CAs are installed; httpx would use certifi's bundle.
    ``False`` turns verification off; a path is a CA bundle file or a hashed CA directory; an
    ``ssl.SSLContext`` is used as it is (``truststore.SSLContext`` for the macOS keychain).
    ``cert`` is a client certificate: a path, or ``(cert, key)`` / ``(cert, key, password)``.
    """
    if isinstance(verify, ssl.SSLContext):
        context = verify
    elif verify is True:
        context = ssl.create_default_context()
    elif verify is False:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif isinstance(verify, (str, os.PathLike)):
        where = os.fspath(verify)
        if os.path.isdir(where):
            context = ssl.create_default_context(capath=where)
        else:
            context = ssl.create_default_context(cafile=where)
    else:
        raise TypeError(f"verify must be a bool, a path or an ssl.SSLContext, not {verify!r}")
    if cert:
        if isinstance(cert, (str, os.PathLike)):
            context.load_cert_chain(os.fspath(cert))
        else:
            context.load_cert_chain(*cert)
    return context


def _tls_options(options: dict[str, Any], kwargs: dict[str, Any]) -> None:
    ca_certs = options.pop("ca_certs", None)
    cert_reqs = options.pop("cert_reqs", None)
    if cert_reqs in ("CERT_NONE", ssl.CERT_NONE):
        kwargs["verify"] = False
    elif ca_certs is not None:
        kwargs["verify"] = ssl.create_default_context(cafile=str(ca_certs))
    cert_file = options.pop("cert_file", None)
    key_file = options.pop("key_file", None)
    if cert_file is not None:
        kwargs["cert"] = (str(cert_file), str(key_file)) if key_file else str(cert_file)
