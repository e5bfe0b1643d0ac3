"""The blocking client: ``Client`` and ``Session``, and the one sync ``_drive`` loop."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

import httpx

from ._base import BaseClient, BaseSession, response_metadata
from ._core import flows
from ._core.plan import SessionInfo, plan_delete, plan_get, plan_head, plan_put
from ._io_sync import GetResponse, Payload, request_body
from ._models import Compression, ExpirationPolicy, Metadata, Usecase

__all__ = ["Client", "Session"]

T = TypeVar("T")


class Client(BaseClient):
    """A connection pool to one Objectstore server; open sessions with :meth:`session`.

    ``Client(base_url, metrics_backend=None, propagate_traces=False, retries=None,
    timeout_ms=None, connection_kwargs=None, token=None)``. Thread-safe; one pool per client,
    sized for concurrent use. Use it as a context manager or call :meth:`close`. The README
    documents ``connection_kwargs``, retries and timeouts.
    """

    _transport_type = httpx.BaseTransport

    def _open(self, http_kwargs: dict[str, Any]) -> None:
        self._http = httpx.Client(**http_kwargs)
        self._sleep = time.sleep

    def session(self, usecase: Usecase, **scopes: str | int | bool) -> Session:
        """A session for ``usecase`` and the given scopes (in order); no network call."""
        return Session(self, self._session_info(usecase, scopes))

    def close(self) -> None:
        """Close every pooled connection."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _drive(self, flow: flows.Flow[T]) -> T:
        """Run a flow to completion, performing its effects with blocking I/O."""
        answer: Any = None
        error: BaseException | None = None
        while True:
            try:
                effect = flow.send(answer) if error is None else flow.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            answer, error = None, None
            try:
                answer = self._perform(effect)
            except httpx.TransportError as exc:
                error = self._transport_error(effect, exc)
            except BaseException:
                flow.close()
                raise

    def _perform(self, effect: flows.Effect) -> Any:
        if isinstance(effect, flows.Send):
            kwargs = effect.plan.build_kwargs(effect.session)
            if effect.plan.body is not None:
                kwargs["content"], extra = request_body(effect.plan.body)
                kwargs["headers"].update(extra)
            return self._http.send(self._http.build_request(**kwargs), stream=True)
        if isinstance(effect, flows.ReadBody):
            try:
                return effect.response.read()
            finally:
                effect.response.close()
        if isinstance(effect, flows.Close):
            effect.response.close()
        elif isinstance(effect, flows.Sleep):
            self._sleep(effect.seconds)
        elif isinstance(effect, flows.Emit):
            self._emit(effect.records)
        return None


class Session(BaseSession):
    """Operations on one usecase and scope. Create with :meth:`Client.session`."""

    def __init__(self, client: Client, info: SessionInfo) -> None:
        super().__init__(client, info)
        self._client = client

    def put(
        self,
        contents: Any,
        key: str | None = None,
        compression: Compression | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        expiration_policy: ExpirationPolicy | None = None,
        origin: str | None = None,
        filename: str | None = None,
    ) -> str:
        """Upload ``contents`` (bytes, binary file, ``os.PathLike`` or iterable of bytes).

        Streamed and compressed chunk by chunk. Without ``key`` (or with ``""``) the server
        picks one. Returns the stored key. ``compression`` overrides the usecase's default.
        """
        plan = plan_put(
            self._info, contents, key=key, compression=compression, content_type=content_type,
            metadata=metadata, expiration_policy=expiration_policy, origin=origin,
            filename=filename,
        )  # fmt: skip
        return self._client._drive(flows.put_flow(self._client._ctx, self._info, plan))

    def get(
        self, key: str, decompress: bool = True, accept_encoding: Sequence[str] | None = None
    ) -> GetResponse | None:
        """Stream an object; None when it does not exist.

        The payload is decompressed as you read unless ``decompress=False`` or the stored
        encoding is in ``accept_encoding`` (then ``metadata.compression`` names it).
        """
        plan = plan_get(self._info, key)
        response = self._client._drive(flows.get_flow(self._client._ctx, self._info, plan))
        if response is None:
            return None
        try:
            metadata, decode = response_metadata(response, decompress, accept_encoding)
        except BaseException:
            response.close()
            raise
        return GetResponse(metadata, Payload(response, decode))

    def head(self, key: str) -> Metadata | None:
        """An object's metadata; None when it does not exist."""
        plan = plan_head(self._info, key)
        return self._client._drive(flows.head_flow(self._client._ctx, self._info, plan))

    def delete(self, key: str) -> None:
        """Delete an object."""
        plan = plan_delete(self._info, key)
        self._client._drive(flows.delete_flow(self._client._ctx, self._info, plan))
