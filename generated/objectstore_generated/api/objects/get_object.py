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
    key: str,
    *,
    os_auth: str | Unset = UNSET,
    os_kid: str | Unset = UNSET,
    os_timestamp: str | Unset = UNSET,
    os_duration: int | Unset = UNSET,
    os_sig: str | Unset = UNSET,
    range_: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(range_, Unset):
        headers["Range"] = range_

    params: dict[str, Any] = {}

    params["os_auth"] = os_auth

    params["os_kid"] = os_kid

    params["os_timestamp"] = os_timestamp

    params["os_duration"] = os_duration

    params["os_sig"] = os_sig

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/objects/{usecase}/{scopes}/{key}".format(
            usecase=quote(str(usecase), safe=SEGMENT_SAFE),
            scopes=quote(str(scopes), safe=SEGMENT_SAFE),
            key=quote(str(key), safe=KEY_SAFE),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _get_kwargs(
    usecase: str,
    scopes: str,
    key: str,
    *,
    os_auth: str | Unset = UNSET,
    os_kid: str | Unset = UNSET,
    os_timestamp: str | Unset = UNSET,
    os_duration: int | Unset = UNSET,
    os_sig: str | Unset = UNSET,
    range_: str | Unset = UNSET,
) -> dict[str, Any]:
    _kwargs = _request_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        os_auth=os_auth,
        os_kid=os_kid,
        os_timestamp=os_timestamp,
        os_duration=os_duration,
        os_sig=os_sig,
        range_=range_,
    )
    return _kwargs


def build_request_kwargs(
    usecase: str,
    scopes: str,
    key: str,
    *,
    os_auth: str | Unset = UNSET,
    os_kid: str | Unset = UNSET,
    os_timestamp: str | Unset = UNSET,
    os_duration: int | Unset = UNSET,
    os_sig: str | Unset = UNSET,
    range_: str | Unset = UNSET,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.build_request``; performs no I/O."""
    _kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        os_auth=os_auth,
        os_kid=os_kid,
        os_timestamp=os_timestamp,
        os_duration=os_duration,
        os_sig=os_sig,
        range_=range_,
    )
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 206:
        response_206 = File(payload=BytesIO(response.content))

        return response_206

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 416:
        response_416 = cast(Any, None)
        return response_416

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
    key: str,
    *,
    client: AuthenticatedClient | Client,
    os_auth: str | Unset = UNSET,
    os_kid: str | Unset = UNSET,
    os_timestamp: str | Unset = UNSET,
    os_duration: int | Unset = UNSET,
    os_sig: str | Unset = UNSET,
    range_: str | Unset = UNSET,
) -> Response[Any | ErrorBody | File]:
    """Read an object, or one byte range of it.

     The body is the stored bytes (compressed bytes when `content-encoding: zstd` is set; the
    server ignores `Accept-Encoding`). A single range `bytes=S-E`, `bytes=S-` or `bytes=-N`
    gives 206; several ranges are ignored (200); an unsatisfiable range gives 416 with an
    empty body. Missing and expired objects give 404 with an empty body.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        os_auth (str | Unset):
        os_kid (str | Unset):
        os_timestamp (str | Unset):
        os_duration (int | Unset):
        os_sig (str | Unset):
        range_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | File]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        os_auth=os_auth,
        os_kid=os_kid,
        os_timestamp=os_timestamp,
        os_duration=os_duration,
        os_sig=os_sig,
        range_=range_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    usecase: str,
    scopes: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    os_auth: str | Unset = UNSET,
    os_kid: str | Unset = UNSET,
    os_timestamp: str | Unset = UNSET,
    os_duration: int | Unset = UNSET,
    os_sig: str | Unset = UNSET,
    range_: str | Unset = UNSET,
) -> Any | ErrorBody | File | None:
    """Read an object, or one byte range of it.

     The body is the stored bytes (compressed bytes when `content-encoding: zstd` is set; the
    server ignores `Accept-Encoding`). A single range `bytes=S-E`, `bytes=S-` or `bytes=-N`
    gives 206; several ranges are ignored (200); an unsatisfiable range gives 416 with an
    empty body. Missing and expired objects give 404 with an empty body.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        os_auth (str | Unset):
        os_kid (str | Unset):
        os_timestamp (str | Unset):
        os_duration (int | Unset):
        os_sig (str | Unset):
        range_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | File
    """

    return sync_detailed(
        usecase=usecase,
        scopes=scopes,
        key=key,
        client=client,
        os_auth=os_auth,
        os_kid=os_kid,
        os_timestamp=os_timestamp,
        os_duration=os_duration,
        os_sig=os_sig,
        range_=range_,
    ).parsed


async def asyncio_detailed(
    usecase: str,
    scopes: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    os_auth: str | Unset = UNSET,
    os_kid: str | Unset = UNSET,
    os_timestamp: str | Unset = UNSET,
    os_duration: int | Unset = UNSET,
    os_sig: str | Unset = UNSET,
    range_: str | Unset = UNSET,
) -> Response[Any | ErrorBody | File]:
    """Read an object, or one byte range of it.

     The body is the stored bytes (compressed bytes when `content-encoding: zstd` is set; the
    server ignores `Accept-Encoding`). A single range `bytes=S-E`, `bytes=S-` or `bytes=-N`
    gives 206; several ranges are ignored (200); an unsatisfiable range gives 416 with an
    empty body. Missing and expired objects give 404 with an empty body.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        os_auth (str | Unset):
        os_kid (str | Unset):
        os_timestamp (str | Unset):
        os_duration (int | Unset):
        os_sig (str | Unset):
        range_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | File]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        os_auth=os_auth,
        os_kid=os_kid,
        os_timestamp=os_timestamp,
        os_duration=os_duration,
        os_sig=os_sig,
        range_=range_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    usecase: str,
    scopes: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    os_auth: str | Unset = UNSET,
    os_kid: str | Unset = UNSET,
    os_timestamp: str | Unset = UNSET,
    os_duration: int | Unset = UNSET,
    os_sig: str | Unset = UNSET,
    range_: str | Unset = UNSET,
) -> Any | ErrorBody | File | None:
    """Read an object, or one byte range of it.

     The body is the stored bytes (compressed bytes when `content-encoding: zstd` is set; the
    server ignores `Accept-Encoding`). A single range `bytes=S-E`, `bytes=S-` or `bytes=-N`
    gives 206; several ranges are ignored (200); an unsatisfiable range gives 416 with an
    empty body. Missing and expired objects give 404 with an empty body.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        os_auth (str | Unset):
        os_kid (str | Unset):
        os_timestamp (str | Unset):
        os_duration (int | Unset):
        os_sig (str | Unset):
        range_ (str | Unset):

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
            key=key,
            client=client,
            os_auth=os_auth,
            os_kid=os_kid,
            os_timestamp=os_timestamp,
            os_duration=os_duration,
            os_sig=os_sig,
            range_=range_,
        )
    ).parsed
