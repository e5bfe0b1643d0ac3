from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

# building request kwargs needs no httpx: it is loaded where a request is sent through it
if TYPE_CHECKING:
    import httpx

from io import BytesIO

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import UNSET, File, Response, Unset

# Characters left literal in path segments, as the upstream Python client does (RFC 3986
# sub-delims plus ":" and "@"); "%" is always encoded, so keys are literal strings.
SEGMENT_SAFE = ":@!$&'()*+,;="
# The key is the rest of the path: "/" separates nothing on the server and stays readable.
KEY_SAFE = "/" + SEGMENT_SAFE


def _request_kwargs(
    usecase: str,
    scopes: str,
    *,
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["os_auth"] = os_auth

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/objects:batch/{usecase}/{scopes}/".format(
            usecase=quote(str(usecase), safe=SEGMENT_SAFE),
            scopes=quote(str(scopes), safe=SEGMENT_SAFE),
        ),
        "params": params,
    }

    headers["Content-Type"] = "multipart/form-data; boundary=+++"
    _kwargs["headers"] = headers
    return _kwargs


def _get_kwargs(
    usecase: str,
    scopes: str,
    *,
    body: File,
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:
    _kwargs = _request_kwargs(
        usecase=usecase,
        scopes=scopes,
        os_auth=os_auth,
    )
    _kwargs["content"] = body.payload

    return _kwargs


def build_request_kwargs(
    usecase: str,
    scopes: str,
    *,
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.build_request``; performs no I/O.

    The body is the caller's to stream: there is no ``content`` here.
    """
    _kwargs = _request_kwargs(
        usecase=usecase,
        scopes=scopes,
        os_auth=os_auth,
    )
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorBody | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    usecase: str,
    scopes: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    os_auth: str | Unset = UNSET,
) -> Response[Any | ErrorBody | File]:
    """Run many get/insert/delete/head operations in one request.

     The trailing slash is required (without it: 404). Each part of the
    `multipart/form-data` request is one operation, described by its part headers
    `x-sn-batch-operation-kind` (`get`, `insert`, `delete`, `head`; case-insensitive) and
    `x-sn-batch-operation-key` (percent-encoded UTF-8; required except for insert). Insert
    parts carry the write metadata headers and the payload (at most 1 MiB, else a 413 part).
    At most 1000 operations (each further one gets a 413 part); request body at most 1 GiB.

    The 200 response is a `multipart/form-data` stream (quoted boundary
    `os-boundary-<32 hex>`, no CRLF after the final delimiter) with one part per operation
    **in completion order**; correlate by `x-sn-batch-operation-index`. Success parts carry
    `x-sn-batch-operation-index`, `-key` (every non-alphanumeric byte percent-encoded),
    `-kind`, `-status` (`<code> <reason>`: get 200/404, head 204/404, insert 201,
    delete 204) and the object's metadata headers for get/head. Error parts carry only the
    index and status headers and a JSON `{detail, causes}` body.

    Args:
        usecase (str):
        scopes (str):
        os_auth (str | Unset):
        body (File): A `multipart/form-data` stream with one part per operation; each part is
            described by its
            part headers (`x-sn-batch-operation-kind`, `x-sn-batch-operation-key`, and for inserts
            the write metadata headers) and carries the insert payload as its body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | File]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        body=body,
        os_auth=os_auth,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    usecase: str,
    scopes: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    os_auth: str | Unset = UNSET,
) -> Any | ErrorBody | File | None:
    """Run many get/insert/delete/head operations in one request.

     The trailing slash is required (without it: 404). Each part of the
    `multipart/form-data` request is one operation, described by its part headers
    `x-sn-batch-operation-kind` (`get`, `insert`, `delete`, `head`; case-insensitive) and
    `x-sn-batch-operation-key` (percent-encoded UTF-8; required except for insert). Insert
    parts carry the write metadata headers and the payload (at most 1 MiB, else a 413 part).
    At most 1000 operations (each further one gets a 413 part); request body at most 1 GiB.

    The 200 response is a `multipart/form-data` stream (quoted boundary
    `os-boundary-<32 hex>`, no CRLF after the final delimiter) with one part per operation
    **in completion order**; correlate by `x-sn-batch-operation-index`. Success parts carry
    `x-sn-batch-operation-index`, `-key` (every non-alphanumeric byte percent-encoded),
    `-kind`, `-status` (`<code> <reason>`: get 200/404, head 204/404, insert 201,
    delete 204) and the object's metadata headers for get/head. Error parts carry only the
    index and status headers and a JSON `{detail, causes}` body.

    Args:
        usecase (str):
        scopes (str):
        os_auth (str | Unset):
        body (File): A `multipart/form-data` stream with one part per operation; each part is
            described by its
            part headers (`x-sn-batch-operation-kind`, `x-sn-batch-operation-key`, and for inserts
            the write metadata headers) and carries the insert payload as its body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | File
    """

    return sync_detailed(
        usecase=usecase,
        scopes=scopes,
        client=client,
        body=body,
        os_auth=os_auth,
    ).parsed


async def asyncio_detailed(
    usecase: str,
    scopes: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    os_auth: str | Unset = UNSET,
) -> Response[Any | ErrorBody | File]:
    """Run many get/insert/delete/head operations in one request.

     The trailing slash is required (without it: 404). Each part of the
    `multipart/form-data` request is one operation, described by its part headers
    `x-sn-batch-operation-kind` (`get`, `insert`, `delete`, `head`; case-insensitive) and
    `x-sn-batch-operation-key` (percent-encoded UTF-8; required except for insert). Insert
    parts carry the write metadata headers and the payload (at most 1 MiB, else a 413 part).
    At most 1000 operations (each further one gets a 413 part); request body at most 1 GiB.

    The 200 response is a `multipart/form-data` stream (quoted boundary
    `os-boundary-<32 hex>`, no CRLF after the final delimiter) with one part per operation
    **in completion order**; correlate by `x-sn-batch-operation-index`. Success parts carry
    `x-sn-batch-operation-index`, `-key` (every non-alphanumeric byte percent-encoded),
    `-kind`, `-status` (`<code> <reason>`: get 200/404, head 204/404, insert 201,
    delete 204) and the object's metadata headers for get/head. Error parts carry only the
    index and status headers and a JSON `{detail, causes}` body.

    Args:
        usecase (str):
        scopes (str):
        os_auth (str | Unset):
        body (File): A `multipart/form-data` stream with one part per operation; each part is
            described by its
            part headers (`x-sn-batch-operation-kind`, `x-sn-batch-operation-key`, and for inserts
            the write metadata headers) and carries the insert payload as its body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | File]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        body=body,
        os_auth=os_auth,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    usecase: str,
    scopes: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    os_auth: str | Unset = UNSET,
) -> Any | ErrorBody | File | None:
    """Run many get/insert/delete/head operations in one request.

     The trailing slash is required (without it: 404). Each part of the
    `multipart/form-data` request is one operation, described by its part headers
    `x-sn-batch-operation-kind` (`get`, `insert`, `delete`, `head`; case-insensitive) and
    `x-sn-batch-operation-key` (percent-encoded UTF-8; required except for insert). Insert
    parts carry the write metadata headers and the payload (at most 1 MiB, else a 413 part).
    At most 1000 operations (each further one gets a 413 part); request body at most 1 GiB.

    The 200 response is a `multipart/form-data` stream (quoted boundary
    `os-boundary-<32 hex>`, no CRLF after the final delimiter) with one part per operation
    **in completion order**; correlate by `x-sn-batch-operation-index`. Success parts carry
    `x-sn-batch-operation-index`, `-key` (every non-alphanumeric byte percent-encoded),
    `-kind`, `-status` (`<code> <reason>`: get 200/404, head 204/404, insert 201,
    delete 204) and the object's metadata headers for get/head. Error parts carry only the
    index and status headers and a JSON `{detail, causes}` body.

    Args:
        usecase (str):
        scopes (str):
        os_auth (str | Unset):
        body (File): A `multipart/form-data` stream with one part per operation; each part is
            described by its
            part headers (`x-sn-batch-operation-kind`, `x-sn-batch-operation-key`, and for inserts
            the write metadata headers) and carries the insert payload as its body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | File
    """

    return (
        await asyncio_detailed(
            usecase=usecase,
            scopes=scopes,
            client=client,
            body=body,
            os_auth=os_auth,
        )
    ).parsed
