"""The incremental multipart/form-data parser."""

from __future__ import annotations

import pytest

from objectstore_client.testing._formdata import (
    FormDataError,
    FormDataParser,
    PartData,
    PartEnd,
    PartStart,
    boundary_from_content_type,
    encode_part,
)

BODY = (
    b"preamble\r\n--xyz\r\nx-a: 1\r\nX-B:  two \r\n\r\nhello"
    b"\r\n--xyz\r\n\r\n\r\n--not\r\n--xyz--\r\nepilogue"
)


def _parse(body: bytes, step: int) -> list[tuple[list[tuple[bytes, bytes]], bytes]]:
    parser = FormDataParser(b"xyz")
    parts: list[tuple[list[tuple[bytes, bytes]], bytes]] = []
    for i in range(0, len(body), step):
        for event in parser.feed(body[i : i + step]):
            if isinstance(event, PartStart):
                parts.append((event.headers, b""))
            elif isinstance(event, PartData):
                parts[-1] = (parts[-1][0], parts[-1][1] + event.data)
            else:
                assert isinstance(event, PartEnd)
    parser.finish()
    return parts


@pytest.mark.parametrize("step", [1, 2, 7, 1000])
def test_parse_in_any_chunking(step: int) -> None:
    parts = _parse(BODY, step)
    assert parts == [
        ([(b"x-a", b"1"), (b"x-b", b"two")], b"hello"),
        ([], b"\r\n--not"),
    ]


def test_incomplete_body_is_an_error() -> None:
    parser = FormDataParser(b"xyz")
    parser.feed(b"--xyz\r\n\r\nabc")
    with pytest.raises(FormDataError):
        parser.finish()


@pytest.mark.parametrize(
    ("value", "boundary"),
    [
        (b"multipart/form-data; boundary=abc", b"abc"),
        (b'multipart/form-data; boundary="a b"', b"a b"),
        (b"Multipart/Form-Data;boundary=x", b"x"),
        (b"multipart/mixed; boundary=abc", None),
        (b"multipart/form-data", None),
        (None, None),
    ],
)
def test_boundary(value: bytes | None, boundary: bytes | None) -> None:
    assert boundary_from_content_type(value) == boundary


def test_encode_part() -> None:
    assert encode_part(b"b", [(b"k", b"v")], b"x") == b"--b\r\nk: v\r\n\r\nx\r\n"
