from typing import Literal

ContentEncoding = Literal["zstd"]

CONTENT_ENCODING_VALUES: set[ContentEncoding] = {
    "zstd",
}


def check_content_encoding(value: str) -> ContentEncoding:
    if value in CONTENT_ENCODING_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CONTENT_ENCODING_VALUES!r}"
    )
