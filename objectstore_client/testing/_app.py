"""The ASGI application: routing, extractor order and error rendering (reference §1, §4, §6).

One plain ASGI callable instead of Starlette's router, because the real server routes on the
raw, still percent-encoded path and answers unmatched routes with empty 404/405 bodies.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from typing import Literal

from . import _batch, _multipart, _objects
from ._auth import AuthContext, Authenticator, KeySpec
from ._clock import Clock, system_clock
from ._errors import ApiError, EmptyError, TextError
from ._http import TEXT, ClientDisconnected, Receive, Request, Scope, Send
from ._routing import Route, match_route, parse_object_id
from ._storage import MemoryStorage, Storage
from ._uploads import Uploads

__all__ = ["BatchOrder", "ObjectstoreApp"]

log = logging.getLogger("objectstore_client.testing")

BatchOrder = Literal["completion", "reverse", "shuffle"]


class ObjectstoreApp:
    """An ASGI app that behaves like the Objectstore server.

    Use it through :class:`LocalObjectstore`, or directly with ``httpx.ASGITransport`` in
    async unit tests: ``with ObjectstoreApp() as app:`` then
    ``httpx.AsyncClient(transport=httpx.ASGITransport(app), ...)``. Leaving the ``with``
    block (or :meth:`close`) removes the temporary directory that multipart uploads to memory
    storage create on first use; one left open is removed at interpreter exit.

    :param storage: where objects live; ``None`` means in memory (see :mod:`._storage`).
    :param auth_keys: ``kid -> public key PEM`` (or ``(pem, permissions)``); auth is off
        when empty.
    :param strict_filesystem: answer like the real server's filesystem backend: DELETE of a
        missing key (also per batch operation) and a write to a key ending in ``/`` are 500,
        instead of the production 204 / 200.
    :param batch_order: order of batch results; the real server answers in completion order,
        ``"reverse"``/``"shuffle"`` make index-correlation bugs visible in tests.
    :param real_wire: stream GET bodies in the real server's chunk sizes, the head and each
        chunk a separate write (see :mod:`._wire`); the socket side is :class:`LocalObjectstore`'s.
    :param endless_batch_errors: a batch body that fails to parse is answered with error parts
        without end, like the real server (until the client disconnects).
    """

    def __init__(
        self,
        storage: Storage | None = None,
        *,
        auth_keys: Mapping[str, KeySpec] | None = None,
        clock: Clock = system_clock,
        strict_filesystem: bool = False,
        batch_order: BatchOrder = "completion",
        complete_padding: int = 3,
        real_wire: bool = False,
        endless_batch_errors: bool = False,
    ) -> None:
        self.storage = storage if storage is not None else MemoryStorage(clock)
        self.uploads = Uploads(self.storage)
        self.auth = Authenticator(auth_keys, clock)
        self.clock = clock
        self.strict_filesystem = strict_filesystem
        self.batch_order = batch_order
        self.complete_padding = complete_padding
        self.real_wire = real_wire
        self.endless_batch_errors = endless_batch_errors
        self.random = random.Random(0)
        self.requests_total = 0

    def close(self) -> None:
        """Release temporary resources (multipart scratch space of memory storage)."""
        self.uploads.close()
        self.storage.close()

    def __enter__(self) -> ObjectstoreApp:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        raw_path = raw_path.split(b"?", 1)[0]
        req = Request(
            method=scope["method"].upper(),
            raw_path=raw_path,
            raw_query=scope.get("query_string", b""),
            headers=[(k.lower(), v) for k, v in scope["headers"]],
            receive=receive,
            send=send,
        )
        self.requests_total += 1
        try:
            await self._dispatch(req)
        except (ApiError, TextError, EmptyError) as exc:
            if not req.started:
                await req.error(exc)
        except ClientDisconnected:
            pass
        except OSError as exc:  # storage I/O: a JSON service error, like the real server
            log.exception("storage error in the local objectstore")
            if not req.started:
                await req.error(ApiError(500, f"service error: {exc}", [str(exc)]))
        except Exception:
            log.exception("unhandled error in the local objectstore")
            if not req.started:
                await req.respond(500, [TEXT], b"internal server error")

    async def _dispatch(self, req: Request) -> None:
        route = match_route(req.raw_path)
        if route is None:
            raise EmptyError(404)
        if req.method not in route.methods:
            raise EmptyError(405, [(b"allow", ",".join(route.methods).encode())])
        if route.name in ("health", "ready", "keda"):
            await self._service_route(req, route)
            return
        auth = self.auth.authenticate(req.method, req.raw_path, req.raw_query, req.header_map())
        await self._object_route(req, route, auth)

    async def _service_route(self, req: Request, route: Route) -> None:
        if route.name == "keda":
            body = (
                "# TYPE objectstore_requests_total counter\n"
                f"objectstore_requests_total {self.requests_total}\n"
                "# TYPE objectstore_requests_in_flight gauge\n"
                "objectstore_requests_in_flight 1\n"
            ).encode()
            ctype = (b"content-type", b"text/plain; version=0.0.4; charset=utf-8")
            await req.respond(200, [ctype], body)
        else:
            await req.respond(200, [TEXT], b"OK")

    async def _object_route(self, req: Request, route: Route, auth: AuthContext) -> None:
        if route.name == "collection":
            oid = parse_object_id(route, key="")
            await _objects.insert_object(self, req, auth, oid)
        elif route.name == "object":
            oid = parse_object_id(route)
            handler = {
                "GET": _objects.get_object,
                "HEAD": _objects.head_object,
                "PUT": _objects.insert_object,
                "DELETE": _objects.delete_object,
            }[req.method]
            await handler(self, req, auth, oid)
        elif route.name == "batch":
            await _batch.handle_batch(self, req, auth, parse_object_id(route, key=""))
        else:
            oid = parse_object_id(route, key="" if route.key is None else None)
            await _multipart.handle(self, req, auth, route.name, oid)
