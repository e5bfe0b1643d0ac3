"""Upstream-compatible module: ``from objectstore_client.client import Client, Session, ...``.

Besides its own names (``__all__``) it re-exports what upstream's ``client`` module imported
(``X as X`` below), since callers import those from here too.
"""

from ._config import USER_AGENT
from ._constants import DEFAULT_CONNECT_TIMEOUT_S as DEFAULT_CONNECT_TIMEOUT
from ._constants import HEADER_EXPIRATION as HEADER_EXPIRATION
from ._constants import HEADER_FILENAME as HEADER_FILENAME
from ._constants import HEADER_META_PREFIX as HEADER_META_PREFIX
from ._constants import HEADER_ORIGIN as HEADER_ORIGIN
from ._core.metrics import MetricsBackend as MetricsBackend
from ._core.metrics import NoOpMetricsBackend as NoOpMetricsBackend
from ._core.tokens import SecretKey as SecretKey
from ._core.tokens import TokenGenerator as TokenGenerator
from ._core.tokens import TokenProvider as TokenProvider
from ._core.urls import PARAM_AUTH
from ._durations import format_duration as format_timedelta  # noqa: F401 (upstream name)
from ._exceptions import ExpiryExtensionRejected as ExpiryExtensionRejected
from ._exceptions import ObjectNotFound as ObjectNotFound
from ._exceptions import RequestError
from ._exceptions import raise_for_status as raise_for_status
from ._io_sync import GetResponse
from ._metrics import measure_storage_operation as measure_storage_operation
from ._models import Compression as Compression
from ._models import ExpirationPolicy as ExpirationPolicy
from ._models import Metadata as Metadata
from ._models import Permission as Permission
from ._models import Scope as Scope
from ._models import Usecase
from ._models import format_expiration as format_expiration
from ._sync import Client, Session
from ._sync import MultipartUpload as MultipartUpload
from ._tracing import storage_span as storage_span

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "PARAM_AUTH",
    "USER_AGENT",
    "Client",
    "GetResponse",
    "RequestError",
    "Session",
    "Usecase",
]
