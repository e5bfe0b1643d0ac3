"""put's encoding arguments (upstream 0.2.2+): compress=, precompressed=, compression= (old)."""

from __future__ import annotations

import warnings

import pytest

from objectstore_client import InvalidInput
from objectstore_client._core.put_encoding import PutEncoding, resolve_put_encoding

ZSTD = PutEncoding("zstd")
RAW = PutEncoding("none")
VERBATIM = PutEncoding("zstd", precompressed=True)


@pytest.mark.parametrize(
    ("default", "kwargs", "expected"),
    [
        ("zstd", {}, ZSTD),
        ("none", {}, RAW),
        ("zstd", {"compress": "none"}, RAW),
        ("none", {"compress": "zstd"}, ZSTD),
        ("zstd", {"compress": ""}, ZSTD),  # "" is "not given": the usecase default
        ("zstd", {"precompressed": "zstd"}, VERBATIM),
        ("none", {"precompressed": "zstd"}, VERBATIM),
    ],
)
def test_resolves_without_warning(
    default: str, kwargs: dict[str, str], expected: PutEncoding
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert resolve_put_encoding(default, **kwargs) == expected  # type: ignore[arg-type]


def test_compression_is_a_deprecated_alias_of_compress() -> None:
    with pytest.warns(DeprecationWarning, match="`compression` is deprecated, use `compress`"):
        assert resolve_put_encoding("zstd", compression="none") == RAW
    with pytest.warns(DeprecationWarning):
        assert resolve_put_encoding("none", compression="zstd") == ZSTD


def test_the_warning_points_at_the_caller_of_put() -> None:
    def put(**kwargs: str) -> PutEncoding:  # stands in for Session.put
        return resolve_put_encoding("zstd", **kwargs)  # type: ignore[arg-type]

    with pytest.warns(DeprecationWarning) as record:
        put(compression="none")
    assert record[0].filename == __file__


BOTH = "Cannot pass both `compress` and"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"compress": "zstd", "compression": "zstd"}, f"{BOTH} `compression`"),
        ({"compress": "none", "precompressed": "zstd"}, f"{BOTH} `precompressed`"),
        ({"compression": "none", "precompressed": "zstd"}, f"{BOTH} `precompressed`"),
        ({"compress": "gzip"}, "Invalid compression: gzip"),
        ({"compress": 3}, "Invalid compression: 3"),
        ({"precompressed": "none"}, "Invalid compression: none"),
        ({"precompressed": "gzip"}, "Invalid compression: gzip"),
    ],
)  # fmt: skip
def test_refuses_like_upstream(kwargs: dict[str, object], message: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(InvalidInput, match=message) as info:
            resolve_put_encoding("zstd", **kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)


def test_only_a_zstd_put_that_is_not_precompressed_compresses() -> None:
    assert (ZSTD.compress, VERBATIM.compress, RAW.compress) == (True, False, False)
