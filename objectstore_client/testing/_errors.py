"""Error values rendered exactly as the real server renders them (reference §6.3)."""

from __future__ import annotations

import json
from collections.abc import Sequence

__all__ = ["ApiError", "EmptyError", "TextError"]


class ApiError(Exception):
    """A JSON error response: ``{"detail": ..., "causes": [...]}`` (``causes`` if non-empty)."""

    def __init__(self, status: int, detail: str, causes: Sequence[str] = ()) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.causes = list(causes)

    def body(self) -> bytes:
        doc: dict[str, object] = {"detail": self.detail}
        if self.causes:
            doc["causes"] = self.causes
        return json.dumps(doc, separators=(",", ":")).encode()


class TextError(Exception):
    """A plain-text error (axum extractor rejections: path, query, JSON body, boundary)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class EmptyError(Exception):
    """An error answered with an empty body (404 missing object, 416, routing errors)."""

    def __init__(self, status: int, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
        super().__init__(status)
        self.status = status
        self.headers = list(headers)


def client_error(message: str) -> ApiError:
    """``client error: <message>`` -> 400."""
    return ApiError(400, f"client error: {message}", [message])


def metadata_error(message: str) -> ApiError:
    """Invalid write metadata -> 400."""
    return ApiError(
        400,
        f"service error: metadata error: {message}",
        [f"metadata error: {message}", message],
    )


#: The real filesystem backend's I/O errors (strict filesystem mode).
NOT_FOUND = "No such file or directory (os error 2)"
IS_A_DIRECTORY = "Is a directory (os error 21)"


def io_error(message: str) -> ApiError:
    """An I/O error of the real filesystem backend -> 500."""
    return ApiError(500, f"service error: i/o error: {message}", [f"i/o error: {message}", message])
