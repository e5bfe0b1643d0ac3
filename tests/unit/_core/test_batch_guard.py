"""_core/batch.PartGuard: where a batch response stops making sense (sans-I/O)."""

from __future__ import annotations

import pytest

from objectstore_client._core.batch import PartGuard, parse_form_data

CTYPE = 'multipart/form-data; boundary="os-b"'


def _part(index: int, body: bytes = b"") -> bytes:
    head = f"--os-b\r\nx-sn-batch-operation-index: {index}\r\nx-sn-batch-operation-status: 200 OK"
    return head.encode() + b"\r\n\r\n" + body + b"\r\n"


def _feed(guard: PartGuard, body: bytes, piece: int) -> bool:
    """Feed ``body`` in pieces until the guard says stop; whether it did."""
    return any(guard.feed(body[i : i + piece]) for i in range(0, len(body), piece))


@pytest.mark.parametrize("piece", [1, 7, 64, 100_000])
def test_a_well_formed_response_is_read_to_the_end(piece: int) -> None:
    body = _part(1, b"--os-b inside a body\r\n--os-") + _part(0, b"x" * 300) + b"--os-b--"
    guard = PartGuard(b"os-b", 2)
    assert not _feed(guard, body, piece)
    assert guard.violation is None
    assert guard.complete_body(body) == body


@pytest.mark.parametrize("piece", [1, 5, 100_000])
@pytest.mark.parametrize(
    ("indices", "problem", "kept"),
    [
        ([0, 1, 2, 3], "operation index 2 out of range for 2 operations", ["0", "1"]),
        ([0, 0], "operation index 0 answered twice", ["0"]),
        ([1, 9], "operation index 9 out of range for 2 operations", ["1"]),
    ],
)
def test_reading_stops_at_the_first_unacceptable_part(
    piece: int, indices: list[int], problem: str, kept: list[str]
) -> None:
    body = b"".join(_part(i, b"data") for i in indices) + b"--os-b--"
    guard = PartGuard(b"os-b", 2)
    assert _feed(guard, body, piece)
    assert guard.violation == problem
    parts = parse_form_data(CTYPE, guard.complete_body(body))
    assert [headers["x-sn-batch-operation-index"] for headers, _ in parts] == kept


def test_parts_without_an_index_still_count() -> None:
    no_index = b"--os-b\r\nx-sn-batch-operation-status: 400 Bad Request\r\n\r\n{}\r\n"
    guard = PartGuard(b"os-b", 1)
    assert not guard.feed(no_index)
    assert guard.feed(no_index)
    assert guard.violation == "more parts than the 1 operations"
    assert parse_form_data(CTYPE, guard.complete_body(no_index * 2)) == [
        ({"x-sn-batch-operation-status": "400 Bad Request"}, b"{}")
    ]


def test_an_endless_stream_is_cut_after_the_operations() -> None:
    guard = PartGuard(b"os-b", 3)
    fed = 0
    for index in range(10_000):
        fed += 1
        if guard.feed(_part(index, b'{"detail":"batch error"}')):
            break
    assert fed == 4
    assert guard.violation == "operation index 3 out of range for 3 operations"
