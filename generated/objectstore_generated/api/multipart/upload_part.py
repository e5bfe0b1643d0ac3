from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

# building request kwargs needs no httpx: it is loaded where a request is sent through it
if TYPE_CHECKING:
    import httpx


from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.part_uploaded import PartUploaded
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
    upload_id: str,
    part_number: int,
    os_auth: str | Unset = UNSET,
    content_length: int,
    content_md5: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Content-Length"] = str(content_length)

    if not isinstance(content_md5, Unset):
        headers["Content-MD5"] = content_md5

    params: dict[str, Any] = {}

    params["upload_id"] = upload_id

    params["part_number"] = part_number

    params["os_auth"] = os_auth

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/objects:multipart:parts/{usecase}/{scopes}/{key}".format(
            usecase=quote(str(usecase), safe=SEGMENT_SAFE),
            scopes=quote(str(scopes), safe=SEGMENT_SAFE),
            key=quote(str(key), safe=KEY_SAFE),
        ),
        "params": params,
    }

    headers["Content-Type"] = "application/octet-stream"
    _kwargs["headers"] = headers
    return _kwargs


def _get_kwargs(
    usecase: str,
    scopes: str,
    key: str,
    *,
    body: File,
    upload_id: str,
    part_number: int,
    os_auth: str | Unset = UNSET,
    content_length: int,
    content_md5: str | Unset = UNSET,
) -> dict[str, Any]:
    _kwargs = _request_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        upload_id=upload_id,
        part_number=part_number,
        os_auth=os_auth,
        content_length=content_length,
        content_md5=content_md5,
    )
    _kwargs["content"] = body.payload

    return _kwargs


def build_request_kwargs(
    usecase: str,
    scopes: str,
    key: str,
    *,
    upload_id: str,
    part_number: int,
    os_auth: str | Unset = UNSET,
    content_length: int,
    content_md5: str | Unset = UNSET,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.build_request``; performs no I/O.

    The body is the caller's to stream: there is no ``content`` here.
    """
    _kwargs = _request_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        upload_id=upload_id,
        part_number=part_number,
        os_auth=os_auth,
        content_length=content_length,
        content_md5=content_md5,
    )
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | PartUploaded | None:
    if response.status_code == 200:
        response_200 = PartUploaded.from_dict(response.json())

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
) -> Response[Any | ErrorBody | PartUploaded]:
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
    body: File,
    upload_id: str,
    part_number: int,
    os_auth: str | Unset = UNSET,
    content_length: int,
    content_md5: str | Unset = UNSET,
) -> Response[Any | ErrorBody | PartUploaded]:
    """Upload one part.

     `Content-Length` is required (chunked bodies are rejected with 400). Re-uploading a part
    number replaces it. An unknown `upload_id` gives 500 on the filesystem backend.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        upload_id (str):
        part_number (int):
        os_auth (str | Unset):
        content_length (int):
        content_md5 (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | PartUploaded]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        body=body,
        upload_id=upload_id,
        part_number=part_number,
        os_auth=os_auth,
        content_length=content_length,
        content_md5=content_md5,
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
    body: File,
    upload_id: str,
    part_number: int,
    os_auth: str | Unset = UNSET,
    content_length: int,
    content_md5: str | Unset = UNSET,
) -> Any | ErrorBody | PartUploaded | None:
    """Upload one part.

     `Content-Length` is required (chunked bodies are rejected with 400). Re-uploading a part
    number replaces it. An unknown `upload_id` gives 500 on the filesystem backend.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        upload_id (str):
        part_number (int):
        os_auth (str | Unset):
        content_length (int):
        content_md5 (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | PartUploaded
    """

    return sync_detailed(
        usecase=usecase,
        scopes=scopes,
        key=key,
        client=client,
        body=body,
        upload_id=upload_id,
        part_number=part_number,
        os_auth=os_auth,
        content_length=content_length,
        content_md5=content_md5,
    ).parsed


async def asyncio_detailed(
    usecase: str,
    scopes: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    upload_id: str,
    part_number: int,
    os_auth: str | Unset = UNSET,
    content_length: int,
    content_md5: str | Unset = UNSET,
) -> Response[Any | ErrorBody | PartUploaded]:
    """Upload one part.

     `Content-Length` is required (chunked bodies are rejected with 400). Re-uploading a part
    number replaces it. An unknown `upload_id` gives 500 on the filesystem backend.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        upload_id (str):
        part_number (int):
        os_auth (str | Unset):
        content_length (int):
        content_md5 (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | PartUploaded]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        body=body,
        upload_id=upload_id,
        part_number=part_number,
        os_auth=os_auth,
        content_length=content_length,
        content_md5=content_md5,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    usecase: str,
    scopes: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    upload_id: str,
    part_number: int,
    os_auth: str | Unset = UNSET,
    content_length: int,
    content_md5: str | Unset = UNSET,
) -> Any | ErrorBody | PartUploaded | None:
    """Upload one part.

     `Content-Length` is required (chunked bodies are rejected with 400). Re-uploading a part
    number replaces it. An unknown `upload_id` gives 500 on the filesystem backend.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        upload_id (str):
        part_number (int):
        os_auth (str | Unset):
        content_length (int):
        content_md5 (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | PartUploaded
    """

    return (
        await asyncio_detailed(
            usecase=usecase,
            scopes=scopes,
            key=key,
            client=client,
            body=body,
            upload_id=upload_id,
            part_number=part_number,
            os_auth=os_auth,
            content_length=content_length,
            content_md5=content_md5,
        )
    ).parsed
