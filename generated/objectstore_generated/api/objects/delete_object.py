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
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["os_auth"] = os_auth

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/objects/{usecase}/{scopes}/{key}".format(
            usecase=quote(str(usecase), safe=SEGMENT_SAFE),
            scopes=quote(str(scopes), safe=SEGMENT_SAFE),
            key=quote(str(key), safe=KEY_SAFE),
        ),
        "params": params,
    }

    return _kwargs


def _get_kwargs(
    usecase: str,
    scopes: str,
    key: str,
    *,
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:
    _kwargs = _request_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        os_auth=os_auth,
    )
    return _kwargs


def build_request_kwargs(
    usecase: str,
    scopes: str,
    key: str,
    *,
    os_auth: str | Unset = UNSET,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.build_request``; performs no I/O."""
    _kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
        os_auth=os_auth,
    )
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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
) -> Response[Any | ErrorBody]:
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
) -> Response[Any | ErrorBody]:
    """Delete an object.

     204 whether or not the object existed on production backends. The real server's
    filesystem backend answers 500 for a missing key.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        os_auth (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
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
    os_auth: str | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Delete an object.

     204 whether or not the object existed on production backends. The real server's
    filesystem backend answers 500 for a missing key.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        os_auth (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return sync_detailed(
        usecase=usecase,
        scopes=scopes,
        key=key,
        client=client,
        os_auth=os_auth,
    ).parsed


async def asyncio_detailed(
    usecase: str,
    scopes: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    os_auth: str | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Delete an object.

     204 whether or not the object existed on production backends. The real server's
    filesystem backend answers 500 for a missing key.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        os_auth (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        usecase=usecase,
        scopes=scopes,
        key=key,
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
    os_auth: str | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Delete an object.

     204 whether or not the object existed on production backends. The real server's
    filesystem backend answers 500 for a missing key.

    Args:
        usecase (str):
        scopes (str):
        key (str):
        os_auth (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return (
        await asyncio_detailed(
            usecase=usecase,
            scopes=scopes,
            key=key,
            client=client,
            os_auth=os_auth,
        )
    ).parsed
