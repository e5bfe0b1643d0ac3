from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

# building request kwargs needs no httpx: it is loaded where a request is sent through it
if TYPE_CHECKING:
    import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.content_encoding import ContentEncoding
from ...models.error_body import ErrorBody
from ...models.multipart_upload_started import MultipartUploadStarted
from ...types import UNSET, Response, Unset

# Characters left literal in path segments, as the upstream Python client does (RFC 3986
# sub-delims plus ":" and "@"); "%" is always encoded, so keys are literal strings.
SEGMENT_SAFE = ":@!$&'()*+,;="
# The key is the rest of the path: "/" separates nothing on the server and stays readable.
KEY_SAFE = "/" + SEGMENT_SAFE
# Custom metadata travels as one header per entry (x-objectstore-metadata-prefix).
METADATA_PREFIX = "x-snme-"


def _request_kwargs(
    usecase: str,
    scopes: str,
    *,
    os_auth: str | Unset = UNSET,
    x_sn_expiration: str | Unset = UNSET,
    x_sn_origin: str | Unset = UNSET,
    x_sn_filename: str | Unset = UNSET,
    content_encoding: ContentEncoding | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_sn_expiration, Unset):
        headers["x-sn-expiration"] = x_sn_expiration

    if not isinstance(x_sn_origin, Unset):
        headers["x-sn-origin"] = x_sn_origin

    if not isinstance(x_sn_filename, Unset):
        headers["x-sn-filename"] = x_sn_filename

    if not isinstance(content_encoding, Unset):
        headers["Content-Encoding"] = str(content_encoding)

    params: dict[str, Any] = {}

    params["os_auth"] = os_auth

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/objects:multipart/{usecase}/{scopes}".format(
            usecase=quote(str(usecase), safe=SEGMENT_SAFE),
            scopes=quote(str(scopes), safe=SEGMENT_SAFE),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _get_kwargs(
    usecase: str,
    scopes: str,
    *,
    os_auth: str | Unset = UNSET,
    x_sn_expiration: str | Unset = UNSET,
    x_sn_origin: str | Unset = UNSET,
    x_sn_filename: str | Unset = UNSET,
    content_encoding: ContentEncoding | Unset = UNSET,
) -> dict[str, Any]:
    _kwargs = _request_kwargs(
        usecase=usecase,
        scopes=scopes,
        os_auth=os_auth,
        x_sn_expiration=x_sn_expiration,
        x_sn_origin=x_sn_origin,
        x_sn_filename=x_sn_filename,
        content_encoding=content_encoding,
    )
    return _kwargs


def build_request_kwargs(
    usecase: str,
    scopes: str,
    *,
    os_auth: str | Unset = UNSET,
    x_sn_expiration: str | Unset = UNSET,
    x_sn_origin: str | Unset = UNSET,
    x_sn_filename: str | Unset = UNSET,
    content_encoding: ContentEncoding | Unset = UNSET,
    content_type: str | None = None,
    metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.build_request``; performs no I/O.

    ``content_type`` and ``metadata`` (``x-snme-<name>`` headers) describe the object.
    """
    _kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        os_auth=os_auth,
        x_sn_expiration=x_sn_expiration,
        x_sn_origin=x_sn_origin,
        x_sn_filename=x_sn_filename,
        content_encoding=content_encoding,
    )
    if content_type is not None:
        _kwargs["headers"]["Content-Type"] = content_type
    for name, value in (metadata or {}).items():
        _kwargs["headers"][METADATA_PREFIX + name] = value
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | MultipartUploadStarted | None:
    if response.status_code == 200:
        response_200 = MultipartUploadStarted.from_dict(response.json())

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

    if response.status_code == 501:
        response_501 = ErrorBody.from_dict(response.json())

        return response_501

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorBody | MultipartUploadStarted]:
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
    os_auth: str | Unset = UNSET,
    x_sn_expiration: str | Unset = UNSET,
    x_sn_origin: str | Unset = UNSET,
    x_sn_filename: str | Unset = UNSET,
    content_encoding: ContentEncoding | Unset = UNSET,
) -> Response[Any | ErrorBody | MultipartUploadStarted]:
    """Start a multipart upload with a server-generated key (no trailing slash).

     Same as `initiate_multipart_upload`.

    Args:
        usecase (str):
        scopes (str):
        os_auth (str | Unset):
        x_sn_expiration (str | Unset):
        x_sn_origin (str | Unset):
        x_sn_filename (str | Unset):
        content_encoding (ContentEncoding | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | MultipartUploadStarted]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        os_auth=os_auth,
        x_sn_expiration=x_sn_expiration,
        x_sn_origin=x_sn_origin,
        x_sn_filename=x_sn_filename,
        content_encoding=content_encoding,
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
    os_auth: str | Unset = UNSET,
    x_sn_expiration: str | Unset = UNSET,
    x_sn_origin: str | Unset = UNSET,
    x_sn_filename: str | Unset = UNSET,
    content_encoding: ContentEncoding | Unset = UNSET,
) -> Any | ErrorBody | MultipartUploadStarted | None:
    """Start a multipart upload with a server-generated key (no trailing slash).

     Same as `initiate_multipart_upload`.

    Args:
        usecase (str):
        scopes (str):
        os_auth (str | Unset):
        x_sn_expiration (str | Unset):
        x_sn_origin (str | Unset):
        x_sn_filename (str | Unset):
        content_encoding (ContentEncoding | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | MultipartUploadStarted
    """

    return sync_detailed(
        usecase=usecase,
        scopes=scopes,
        client=client,
        os_auth=os_auth,
        x_sn_expiration=x_sn_expiration,
        x_sn_origin=x_sn_origin,
        x_sn_filename=x_sn_filename,
        content_encoding=content_encoding,
    ).parsed


async def asyncio_detailed(
    usecase: str,
    scopes: str,
    *,
    client: AuthenticatedClient | Client,
    os_auth: str | Unset = UNSET,
    x_sn_expiration: str | Unset = UNSET,
    x_sn_origin: str | Unset = UNSET,
    x_sn_filename: str | Unset = UNSET,
    content_encoding: ContentEncoding | Unset = UNSET,
) -> Response[Any | ErrorBody | MultipartUploadStarted]:
    """Start a multipart upload with a server-generated key (no trailing slash).

     Same as `initiate_multipart_upload`.

    Args:
        usecase (str):
        scopes (str):
        os_auth (str | Unset):
        x_sn_expiration (str | Unset):
        x_sn_origin (str | Unset):
        x_sn_filename (str | Unset):
        content_encoding (ContentEncoding | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | MultipartUploadStarted]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        os_auth=os_auth,
        x_sn_expiration=x_sn_expiration,
        x_sn_origin=x_sn_origin,
        x_sn_filename=x_sn_filename,
        content_encoding=content_encoding,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    usecase: str,
    scopes: str,
    *,
    client: AuthenticatedClient | Client,
    os_auth: str | Unset = UNSET,
    x_sn_expiration: str | Unset = UNSET,
    x_sn_origin: str | Unset = UNSET,
    x_sn_filename: str | Unset = UNSET,
    content_encoding: ContentEncoding | Unset = UNSET,
) -> Any | ErrorBody | MultipartUploadStarted | None:
    """Start a multipart upload with a server-generated key (no trailing slash).

     Same as `initiate_multipart_upload`.

    Args:
        usecase (str):
        scopes (str):
        os_auth (str | Unset):
        x_sn_expiration (str | Unset):
        x_sn_origin (str | Unset):
        x_sn_filename (str | Unset):
        content_encoding (ContentEncoding | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | MultipartUploadStarted
    """

    return (
        await asyncio_detailed(
            usecase=usecase,
            scopes=scopes,
            client=client,
            os_auth=os_auth,
            x_sn_expiration=x_sn_expiration,
            x_sn_origin=x_sn_origin,
            x_sn_filename=x_sn_filename,
            content_encoding=content_encoding,
        )
    ).parsed
