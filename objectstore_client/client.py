"""Upstream-compatible module: ``from objectstore_client.client import Client, RequestError``."""

from ._constants import DEFAULT_CONNECT_TIMEOUT_S as DEFAULT_CONNECT_TIMEOUT
from ._core.urls import PARAM_AUTH
from ._exceptions import RequestError
from ._io_sync import GetResponse
from ._models import Usecase
from ._sync import Client, Session

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "PARAM_AUTH",
    "Client",
    "GetResponse",
    "RequestError",
    "Session",
    "Usecase",
]
