from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

# building request kwargs needs no httpx: it is loaded where a request is sent through it
if TYPE_CHECKING:
    import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complete_failed import CompleteFailed
from ...models.complete_multipart_upload import CompleteMultipartUpload
from ...models.complete_succeeded import CompleteSucceeded
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset

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
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["upload_id"] = upload_id

    params["os_auth"] = os_auth

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/objects:multipart:complete/{usecase}/{scopes}/{key}".format(
            usecase=quote(str(usecase), safe=SEGMENT_SAFE),
            scopes=quote(str(scopes), safe=SEGMENT_SAFE),
            key=quote(str(key), safe=KEY_SAFE),
        ),
        "params": params,
    }

    headers["Content-Type"] = "application/json"
    _kwargs["headers"] = headers
    return _kwargs


def _get_kwargs(
    usecase: str,
    scopes: str,
    key: str,
    *,
    body: CompleteMultipartUpload,
    upload_id: str,
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:
    _kwargs = _request_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        upload_id=upload_id,
        os_auth=os_auth,
    )
    _kwargs["json"] = body.to_dict()

    return _kwargs


def build_request_kwargs(
    usecase: str,
    scopes: str,
    key: str,
    *,
    body: CompleteMultipartUpload,
    upload_id: str,
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.build_request``; performs no I/O."""
    _kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        body=body,
        upload_id=upload_id,
        os_auth=os_auth,
    )
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | CompleteFailed | CompleteSucceeded | ErrorBody | str | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> CompleteFailed | CompleteSucceeded:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_complete_outcome_type_0 = CompleteSucceeded.from_dict(
                    data
                )

                return componentsschemas_complete_outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_complete_outcome_type_1 = CompleteFailed.from_dict(data)

            return componentsschemas_complete_outcome_type_1

        response_200 = _parse_response_200(response.json())

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

    if response.status_code == 413:
        response_413 = response.text
        return response_413

    if response.status_code == 415:
        response_415 = response.text
        return response_415

    if response.status_code == 422:
        response_422 = response.text
        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | CompleteFailed | CompleteSucceeded | ErrorBody | str]:
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
    body: CompleteMultipartUpload,
    upload_id: str,
    os_auth: str | Unset = UNSET,
) -> Response[Any | CompleteFailed | CompleteSucceeded | ErrorBody | str]:
    """Complete a multipart upload.

     Always 200 once the request is accepted: the body is streamed as zero or more spaces
    (one per second of backend work) followed by exactly one JSON document, either
    `{"key": ...}` or `{"error": {"code", "message"}}`. Trim leading whitespace before
    parsing. After a failure the upload remains and can be completed again.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        upload_id (str):
        os_auth (str | Unset):
        body (CompleteMultipartUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CompleteFailed | CompleteSucceeded | ErrorBody | str]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        body=body,
        upload_id=upload_id,
        os_auth=os_auth,
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
    body: CompleteMultipartUpload,
    upload_id: str,
    os_auth: str | Unset = UNSET,
) -> Any | CompleteFailed | CompleteSucceeded | ErrorBody | str | None:
    """Complete a multipart upload.

     Always 200 once the request is accepted: the body is streamed as zero or more spaces
    (one per second of backend work) followed by exactly one JSON document, either
    `{"key": ...}` or `{"error": {"code", "message"}}`. Trim leading whitespace before
    parsing. After a failure the upload remains and can be completed again.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        upload_id (str):
        os_auth (str | Unset):
        body (CompleteMultipartUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CompleteFailed | CompleteSucceeded | ErrorBody | str
    """

    return sync_detailed(
        usecase=usecase,
        scopes=scopes,
        key=key,
        client=client,
        body=body,
        upload_id=upload_id,
        os_auth=os_auth,
    ).parsed


async def asyncio_detailed(
    usecase: str,
    scopes: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompleteMultipartUpload,
    upload_id: str,
    os_auth: str | Unset = UNSET,
) -> Response[Any | CompleteFailed | CompleteSucceeded | ErrorBody | str]:
    """Complete a multipart upload.

     Always 200 once the request is accepted: the body is streamed as zero or more spaces
    (one per second of backend work) followed by exactly one JSON document, either
    `{"key": ...}` or `{"error": {"code", "message"}}`. Trim leading whitespace before
    parsing. After a failure the upload remains and can be completed again.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        upload_id (str):
        os_auth (str | Unset):
        body (CompleteMultipartUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CompleteFailed | CompleteSucceeded | ErrorBody | str]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        body=body,
        upload_id=upload_id,
        os_auth=os_auth,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    usecase: str,
    scopes: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: CompleteMultipartUpload,
    upload_id: str,
    os_auth: str | Unset = UNSET,
) -> Any | CompleteFailed | CompleteSucceeded | ErrorBody | str | None:
    """Complete a multipart upload.

     Always 200 once the request is accepted: the body is streamed as zero or more spaces
    (one per second of backend work) followed by exactly one JSON document, either
    `{"key": ...}` or `{"error": {"code", "message"}}`. Trim leading whitespace before
    parsing. After a failure the upload remains and can be completed again.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        upload_id (str):
        os_auth (str | Unset):
        body (CompleteMultipartUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CompleteFailed | CompleteSucceeded | ErrorBody | str
    """

    return (
        await asyncio_detailed(
            usecase=usecase,
            scopes=scopes,
            key=key,
            client=client,
            body=body,
            upload_id=upload_id,
            os_auth=os_auth,
        )
    ).parsed
