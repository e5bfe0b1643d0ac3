"""Pin the public API: __all__ of the package and of its upstream-compatible modules."""

from __future__ import annotations

import importlib

import pytest

import objectstore_client

PUBLIC = {
    "objectstore_client": [
        "AsyncClient", "AsyncGetResponse", "AsyncMultipartUpload", "AsyncPayload",
        "AsyncSession", "BatchConfig", "BatchDelete", "BatchGet", "BatchHead", "BatchOperation",
        "BatchPut", "BatchResult", "Client", "CompletePart", "Compression", "ConnectError",
        "DecodeError", "DeleteResult", "ExpirationPolicy", "ExpiryExtensionRejected",
        "GetResponse", "GetResult", "HeadResult", "InvalidInput", "Metadata", "MetricsBackend",
        "MultipartCompleteError", "MultipartUpload", "NoOpMetricsBackend", "ObjectNotFound",
        "ObjectstoreError", "OperationError", "PartInfo", "Payload", "Permission",
        "ProgressEvent", "ProtocolViolation", "PutResult", "RangeNotSatisfiable", "RangeResult",
        "RequestError", "RequestTimeout", "RetryNotice", "RetryPolicy", "Scope", "SecretKey",
        "Session", "TimeToIdle", "TimeToLive",
        "TokenGenerator", "TokenProvider", "TransferConfig", "TransportError", "Usecase",
        "guess_mime_type", "parse_accept_encoding",
    ],
    "objectstore_client.multipart": [
        "AsyncMultipartUpload", "CompletePart", "MultipartCompleteError", "MultipartUpload",
        "PartInfo", "RequestError", "measure_storage_operation", "raise_for_status",
        "storage_span",
    ],
    "objectstore_client.presign": [
        "MAX_PRESIGN_DURATION", "PARAM_DURATION", "PARAM_KID", "PARAM_SIG", "PARAM_TIMESTAMP",
        "SUPPORTED_METHODS", "build_canonical_form",
    ],
    "objectstore_client.client": [
        "Client", "DEFAULT_CONNECT_TIMEOUT", "GetResponse", "PARAM_AUTH", "RequestError",
        "Session", "USER_AGENT", "Usecase",
    ],
    "objectstore_client.auth": [
        "Permission", "Scope", "SecretKey", "TokenGenerator", "TokenProvider",
    ],
    "objectstore_client.scope": [
        "EMPTY_SCOPES", "SCOPE_VALUE_ALLOWED_CHARS", "Scope",
    ],
    "objectstore_client.errors": [
        "ConnectError", "DecodeError", "ExpiryExtensionRejected", "InvalidInput",
        "MultipartCompleteError", "ObjectNotFound", "ObjectstoreError", "ProtocolViolation",
        "RangeNotSatisfiable",
        "RequestError", "RequestTimeout", "TransportError", "raise_for_status",
    ],
    "objectstore_client.utils": [
        "decode_header_value", "encode_header_value", "encode_path", "encode_query",
        "guess_mime_type", "parse_accept_encoding",
    ],
    "objectstore_client.metrics": [
        "MetricsBackend", "NoOpMetricsBackend", "StorageMetricEmitter", "Tags",
        "measure_storage_operation",
    ],
    "objectstore_client.metadata": [
        "Compression", "ExpirationPolicy", "HEADER_EXPIRATION", "HEADER_FILENAME",
        "HEADER_META_PREFIX", "HEADER_ORIGIN", "HEADER_SIZE", "HEADER_TIME_CREATED",
        "HEADER_TIME_EXPIRES", "Metadata", "T", "TIME_SPLIT", "TimeToIdle", "TimeToLive",
        "decode_header_value", "format_expiration", "format_timedelta", "itertools_batched",
        "parse_expiration", "parse_timedelta",
    ],
    "objectstore_client.tracing": [
        "SPAN_ORIGIN", "Scope", "SpanAttributeValue", "storage_span",
    ],
}  # fmt: skip


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_all_is_pinned(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(PUBLIC[module_name])
    for name in module.__all__:
        assert getattr(module, name) is not None


def test_request_error_is_one_class_everywhere() -> None:
    from objectstore_client.client import RequestError as from_client
    from objectstore_client.errors import RequestError as from_errors

    assert from_client is from_errors is objectstore_client.RequestError
    error = objectstore_client.RequestError("failed", 500, "body")
    assert (str(error), error.status, error.response) == ("failed", 500, "body")
    assert issubclass(objectstore_client.InvalidInput, ValueError)


def test_sync_and_async_mirror_each_other() -> None:
    def public(cls: type) -> set[str]:
        return {name for name in dir(cls) if not name.startswith("_")}

    assert public(objectstore_client.Client) - {"aclose"} == public(
        objectstore_client.AsyncClient
    ) - {"aclose"}
    assert public(objectstore_client.Session) == public(objectstore_client.AsyncSession)
    assert public(objectstore_client.MultipartUpload) == public(
        objectstore_client.AsyncMultipartUpload
    )


def test_multipart_complete_error_is_a_request_error_with_status_200() -> None:
    import pickle

    error = objectstore_client.MultipartCompleteError("InvalidPart", "etag mismatch")
    assert isinstance(error, objectstore_client.RequestError)
    assert (error.code, error.message, error.status) == ("InvalidPart", "etag mismatch", 200)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.message, copy.status) == ("InvalidPart", "etag mismatch", 200)
