import io

from objectstore_client.utils import guess_mime_type, parse_accept_encoding


def test_guess_mime_type() -> None:
    assert guess_mime_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert guess_mime_type(b"%PDF-1.7") == "application/pdf"
    assert guess_mime_type(b"plain text") is None
    stream = io.BytesIO(b"xx%PDF-1.7")
    stream.seek(2)
    assert guess_mime_type(stream) == "application/pdf"
    assert stream.tell() == 2


def test_parse_accept_encoding() -> None:
    assert parse_accept_encoding("gzip, ZSTD;q=0.5, br;q=0, *") == ["gzip", "zstd", "*"]
    assert parse_accept_encoding("identity; q = 0.0") == []
    assert parse_accept_encoding("") == []
