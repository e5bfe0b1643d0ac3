"""The OpenAPI document: valid, complete against the server's route table, honest about extras."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "spec" / "objectstore.openapi.yaml"

# Every public route of the real server (objectstore-http-api.md section 1, except /keda and
# /debug/*), written as in that table, with its documented success status.
ROUTES: list[tuple[str, str, str]] = [
    ("post", "/v1/objects/{usecase}/{scopes}", "201"),
    ("post", "/v1/objects/{usecase}/{scopes}/", "201"),
    ("put", "/v1/objects/{usecase}/{scopes}/{key}", "200"),
    ("get", "/v1/objects/{usecase}/{scopes}/{key}", "200"),
    ("get", "/v1/objects/{usecase}/{scopes}/{key}", "206"),
    ("head", "/v1/objects/{usecase}/{scopes}/{key}", "204"),
    ("delete", "/v1/objects/{usecase}/{scopes}/{key}", "204"),
    ("post", "/v1/objects:batch/{usecase}/{scopes}/", "200"),
    ("post", "/v1/objects:multipart/{usecase}/{scopes}", "200"),
    ("post", "/v1/objects:multipart/{usecase}/{scopes}/", "200"),
    ("put", "/v1/objects:multipart/{usecase}/{scopes}/{key}", "200"),
    ("delete", "/v1/objects:multipart/{usecase}/{scopes}/{key}", "204"),
    ("put", "/v1/objects:multipart:parts/{usecase}/{scopes}/{key}", "200"),
    ("get", "/v1/objects:multipart:parts/{usecase}/{scopes}/{key}", "200"),
    ("post", "/v1/objects:multipart:complete/{usecase}/{scopes}/{key}", "200"),
    ("get", "/health", "200"),
    ("get", "/ready", "200"),
]

WRITE_OPERATIONS = {
    "insert_object",
    "insert_object_no_slash",
    "put_object",
    "batch",
    "initiate_multipart_upload",
    "initiate_multipart_upload_no_slash",
    "initiate_multipart_upload_at_key",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    ops: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                ops[op["operationId"]] = (method, path, op)
    return ops


def test_spec_is_valid_openapi_31(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


@pytest.mark.parametrize(("method", "path", "status"), ROUTES)
def test_every_server_route_is_described(
    spec: dict[str, Any], method: str, path: str, status: str
) -> None:
    assert path in spec["paths"], f"{path} is missing"
    operation = spec["paths"][path].get(method)
    assert operation is not None, f"{method.upper()} {path} is missing"
    assert status in operation["responses"], f"{method.upper()} {path} lacks {status}"


def test_no_route_beyond_the_server_table(spec: dict[str, Any]) -> None:
    described = {
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "head", "patch"}
    }
    assert described == {(method, path) for method, path, _ in ROUTES}


def test_operation_ids_are_unique_snake_case(spec: dict[str, Any]) -> None:
    ids = [
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z_]*", op_id) for op_id in ids)


def test_write_operations_declare_metadata_headers(spec: dict[str, Any]) -> None:
    ops = operations(spec)
    for op_id in WRITE_OPERATIONS:
        _, _, op = ops[op_id]
        # the x-snme-* family cannot be a parameter: it is carried by a vendor extension
        assert op["x-objectstore-metadata-prefix"] == "x-snme-", op_id
        if op_id == "batch":
            continue
        names = {p["$ref"].rsplit("/", 1)[-1] for p in op["parameters"] if "$ref" in p}
        assert {"Expiration", "Origin", "Filename", "ContentEncoding"} <= names, op_id


def test_content_encoding_is_exactly_zstd(spec: dict[str, Any]) -> None:
    assert spec["components"]["schemas"]["ContentEncoding"] == {"type": "string", "enum": ["zstd"]}


def test_scope_pattern_matches_the_server_grammar(spec: dict[str, Any]) -> None:
    pattern = spec["components"]["parameters"]["Scopes"]["schema"]["pattern"]
    for ok in ["_", "org=42", "org=42;project=1337", "a-b=(x)$!+'_"]:
        assert re.fullmatch(pattern, ok), ok
    for bad in ["", "org", "org=", "=1", "org=1;", "a=b=c", "org=1.2", "o rg=1", "org=é"]:
        assert not re.fullmatch(pattern, bad), bad


def test_complete_documents_leading_whitespace(spec: dict[str, Any]) -> None:
    _, _, op = operations(spec)["complete_multipart_upload"]
    assert op["x-objectstore-leading-whitespace"] is True
    outcome = spec["components"]["schemas"]["CompleteOutcome"]["oneOf"]
    assert {ref["$ref"].rsplit("/", 1)[-1] for ref in outcome} == {
        "CompleteSucceeded",
        "CompleteFailed",
    }


def test_error_bodies_split_json_and_text(spec: dict[str, Any]) -> None:
    responses = spec["components"]["responses"]
    assert set(responses["BadRequest"]["content"]) == {"application/json", "text/plain"}
    assert "content" not in responses["NotFound"]
    assert "content" not in responses["Unavailable"]
    error = spec["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["detail"]
    assert set(error["properties"]) == {"detail", "causes"}


def test_security_schemes(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["osAuthHeader"] == {
        **schemes["osAuthHeader"],
        "in": "header",
        "name": "x-os-auth",
    }
    assert schemes["osAuthQuery"]["name"] == "os_auth"
    assert schemes["presigned"]["name"] == "os_sig"
    assert schemes["osAuthAuthorization"]["scheme"] == "bearer"


def test_key_paths_are_marked_catch_all(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        assert item.get("x-objectstore-key-catch-all", False) == ("{key}" in path), path
