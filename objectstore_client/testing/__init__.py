"""A faithful local Objectstore server for demos and tests (``objectstore-sdk[testing]``).

* :class:`LocalObjectstore` runs it in a background thread: ``with LocalObjectstore() as s:``
  then talk to ``s.url``; ``with serve() as url:`` is the same, yielding the URL.
* ``python -m objectstore_client.testing --port 8888`` runs it in the foreground.
* The pytest plugin (:mod:`objectstore_client.testing.plugin`) provides fixtures.
* :class:`FakeClock` makes expiry testable without sleeping.
* :class:`FaultProxy` (:mod:`objectstore_client.testing.faults`) injects network faults.
"""

from ._app import BatchOrder, ObjectstoreApp
from ._auth import KeySpec
from ._clock import Clock, FakeClock
from ._server import LocalObjectstore, serve
from .faults import FaultProxy

__all__ = [
    "BatchOrder",
    "Clock",
    "FakeClock",
    "FaultProxy",
    "KeySpec",
    "LocalObjectstore",
    "ObjectstoreApp",
    "serve",
]
