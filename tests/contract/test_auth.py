"""JWT and pre-signed URL auth: the 400/401/403 split (reference §4, §10, §11)."""

from __future__ import annotations

import base64
import datetime as dt
import time
from typing import Any

import httpx
import jwt
import pytest

from .conftest import ALL_PERMISSIONS, Api, mint

pytestmark = pytest.mark.needs_auth


def _status_json(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"].startswith("auth error: ")


def _bearer(token: str) -> dict[str, str]:
    return {"x-os-auth": f"Bearer {token}"}


def _get(api: Api, key: str = "k", **headers: str) -> httpx.Response:
    return api.request("GET", api.path(key), headers=headers, auth=False)


def test_no_token_is_400(api: Api) -> None:
    _status_json(_get(api), 400)


def test_x_os_auth_header_is_accepted(api: Api) -> None:
    api.put("k", b"x")
    assert _get(api, **_bearer(api.token())).content == b"x"


def test_authorization_header_is_the_fallback(api: Api) -> None:
    api.put("k", b"x")
    response = _get(api, authorization=f"bearer {api.token()}")
    assert response.status_code == 200


def test_non_bearer_x_os_auth_does_not_fall_back(api: Api) -> None:
    response = _get(api, **{"x-os-auth": api.token(), "authorization": f"Bearer {api.token()}"})
    _status_json(response, 400)


def test_os_auth_query_parameter(api: Api) -> None:
    api.put("k", b"x")
    response = api.request("GET", api.path("k"), params={"os_auth": api.token()}, auth=False)
    assert response.content == b"x"


def test_header_wins_over_query(api: Api) -> None:
    api.put("k", b"x")
    response = api.request(
        "GET",
        api.path("k"),
        params={"os_auth": "garbage"},
        headers=_bearer(api.token()),
        auth=False,
    )
    assert response.status_code == 200


def test_malformed_token_is_401(api: Api) -> None:
    _status_json(_get(api, **_bearer("not.a.jwt")), 401)


def test_token_without_kid_is_400(api: Api) -> None:
    assert api.target.private_key is not None
    token = jwt.encode(
        {"res": {"os:usecase": api.usecase}, "permissions": ALL_PERMISSIONS, "exp": 2**31},
        api.target.private_key,
        algorithm="EdDSA",
    )
    _status_json(_get(api, **_bearer(token)), 400)


def test_unknown_kid_is_401(api: Api) -> None:
    assert api.target.private_key is not None
    token = mint(api.target.private_key, "no-such-kid", api.usecase, api.scope)
    _status_json(_get(api, **_bearer(token)), 401)


def test_wrong_algorithm_is_401(api: Api) -> None:
    claims = {"res": {"os:usecase": api.usecase}, "permissions": ALL_PERMISSIONS, "exp": 2**31}
    token = jwt.encode(claims, "secret" * 8, algorithm="HS256", headers={"kid": api.target.kid})
    _status_json(_get(api, **_bearer(token)), 401)


def test_bad_signature_is_401(api: Api) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    assert api.target.kid is not None
    token = mint(Ed25519PrivateKey.generate(), api.target.kid, api.usecase, api.scope)
    _status_json(_get(api, **_bearer(token)), 401)


def test_expired_token_is_401(api: Api) -> None:
    _status_json(_get(api, **_bearer(api.token(exp=time.time() - 120))), 401)


def test_expiry_has_60s_leeway(api: Api) -> None:
    api.put("k", b"x")
    assert _get(api, **_bearer(api.token(exp=time.time() - 20))).status_code == 200


def test_numeric_claim_value_is_401(api: Api) -> None:
    token = api.token(scopes={"org": 1})  # type: ignore[dict-item]
    _status_json(_get(api, **_bearer(token)), 401)


def test_unknown_permission_is_401(api: Api) -> None:
    _status_json(_get(api, **_bearer(api.token(permissions=["object.admin"]))), 401)


def test_other_usecase_is_403(api: Api) -> None:
    _status_json(_get(api, **_bearer(api.token(usecase="other-usecase"))), 403)


def test_other_scope_value_is_403(api: Api) -> None:
    _status_json(_get(api, **_bearer(api.token(scopes={"org": "someone-else"}))), 403)


def test_wildcard_scope_value_matches(api: Api) -> None:
    api.put("k", b"x")
    assert _get(api, **_bearer(api.token(scopes={"org": "*"}))).status_code == 200


def test_missing_scope_claim_is_403(api: Api) -> None:
    _status_json(_get(api, **_bearer(api.token(scopes={}))), 403)


def test_extra_token_scopes_are_ignored(api: Api) -> None:
    api.put("k", b"x")
    token = api.token(scopes={**api.scope, "project": "7"})
    assert _get(api, **_bearer(token)).status_code == 200


def test_any_usecase_token_can_access_the_empty_scope(api: Api) -> None:
    token = api.token(scopes={"org": "unrelated"})
    path = f"/v1/objects/{api.usecase}/_/contract-auth-{api.scope['org']}"
    headers = _bearer(token)
    assert api.request("PUT", path, content=b"x", headers=headers, auth=False).status_code == 200
    assert api.request("DELETE", path, headers=headers, auth=False).status_code == 204


@pytest.mark.parametrize(
    ("method", "permission"),
    [("GET", "object.read"), ("HEAD", "object.read"), ("PUT", "object.write")],
)
def test_missing_permission_is_403(api: Api, method: str, permission: str) -> None:
    others = [p for p in ALL_PERMISSIONS if p != permission]
    response = api.request(
        method, api.path("k"), headers=_bearer(api.token(permissions=others)), auth=False
    )
    assert response.status_code == 403


def test_delete_needs_delete_permission(api: Api) -> None:
    token = api.token(permissions=["object.read", "object.write"])
    response = api.request("DELETE", api.path("k"), headers=_bearer(token), auth=False)
    _status_json(response, 403)


def test_metadata_error_precedes_permission_error(api: Api) -> None:
    token = api.token(permissions=["object.read"])
    response = api.request(
        "PUT",
        api.path("k"),
        content=b"x",
        headers={**_bearer(token), "content-encoding": "gzip"},
        auth=False,
    )
    assert response.status_code == 400


def test_range_error_precedes_permission_error(api: Api) -> None:
    token = api.token(permissions=["object.write"])
    response = _get(api, range="items=0-1", **_bearer(token))
    assert response.status_code == 400


@pytest.mark.local_only
def test_key_max_permissions_restrict_the_token(api: Api) -> None:
    assert api.target.private_key is not None and api.target.read_only_kid is not None
    token = mint(api.target.private_key, api.target.read_only_kid, api.usecase, api.scope)
    response = api.request("PUT", api.path("k"), content=b"x", headers=_bearer(token), auth=False)
    _status_json(response, 403)


# -- pre-signed URLs ----------------------------------------------------------------------


def presign(
    api: Api,
    method: str,
    key: str,
    *,
    duration: int = 600,
    when: dt.datetime | None = None,
    kid: str | None = None,
    extra: str = "",
) -> str:
    """A pre-signed path+query as the Python client builds it (reference §11)."""
    assert api.target.private_key is not None
    path = api.path(key)
    stamp = (when or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    pairs = [f"os_kid={kid or api.target.kid}", f"os_timestamp={stamp}", f"os_duration={duration}"]
    if extra:
        pairs.append(extra)
    verb = "GET" if method in ("GET", "HEAD") else method
    canonical = f"{verb}\n{path}\n{'&'.join(sorted(pairs))}"
    sig = base64.urlsafe_b64encode(api.target.private_key.sign(canonical.encode())).rstrip(b"=")
    return f"{path}?{'&'.join(pairs)}&os_sig={sig.decode()}"


def test_presigned_get_and_head(api: Api) -> None:
    api.put("k", b"signed")
    url = presign(api, "GET", "k")
    assert api.request("GET", url, auth=False).content == b"signed"
    assert api.request("HEAD", url, auth=False).status_code == 204


def test_presigned_url_binds_extra_query_parameters(api: Api) -> None:
    api.put("k", b"signed")
    url = presign(api, "GET", "k", extra="download=1")
    assert api.request("GET", url, auth=False).status_code == 200
    tampered = url.replace("download=1", "download=2")
    _status_json(api.request("GET", tampered, auth=False), 401)


def test_presigned_url_binds_the_path(api: Api) -> None:
    url = presign(api, "GET", "k").replace("/k?", "/other?")
    _status_json(api.request("GET", url, auth=False), 401)


def test_presigned_put_is_403(api: Api) -> None:
    url = presign(api, "GET", "k")
    _status_json(api.request("PUT", url, content=b"x", auth=False), 403)


def test_presigned_url_expires(api: Api) -> None:
    when = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=700)
    _status_json(api.request("GET", presign(api, "GET", "k", when=when), auth=False), 401)


def test_presigned_url_not_yet_valid(api: Api) -> None:
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=600)
    _status_json(api.request("GET", presign(api, "GET", "k", when=when), auth=False), 401)


def test_presigned_validity_over_7_days_is_400(api: Api) -> None:
    url = presign(api, "GET", "k", duration=7 * 86400 + 1)
    _status_json(api.request("GET", url, auth=False), 400)


def test_presigned_missing_parameters_is_400(api: Api) -> None:
    url = api.path("k") + "?os_kid=x&os_sig=abc"
    _status_json(api.request("GET", url, auth=False), 400)


def test_presigned_unknown_kid_is_401(api: Api) -> None:
    _status_json(api.request("GET", presign(api, "GET", "k", kid="nope"), auth=False), 401)


def test_non_bearer_header_falls_back_to_the_query(api: Api) -> None:
    api.put("k", b"x")
    response = api.request(
        "GET",
        api.path("k"),
        params={"os_auth": api.token()},
        headers={"x-os-auth": "Basic abc"},
        auth=False,
    )
    assert response.status_code == 200


def test_unknown_query_parameters_are_ignored(api: Api) -> None:
    api.put("k", b"x")
    assert api.request("GET", api.path("k"), params={"foo": "bar"}).status_code == 200


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({"aud": "objectstore"}, 200),
        ({"aud": ["other", "objectstore"]}, 200),
        ({"aud": "other"}, 401),
        ({"iss": "sentry"}, 200),
        ({"iss": "relay"}, 200),
        ({"iss": "someone"}, 401),
    ],
)
def test_optional_aud_and_iss_claims(api: Api, claims: dict[str, Any], status: int) -> None:
    api.put("k", b"x")
    assert _get(api, **_bearer(api.token(**claims))).status_code == status
