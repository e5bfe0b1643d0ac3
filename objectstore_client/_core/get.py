"""``get`` completed without I/O: the GET, the object's metadata, whether the payload is
decoded, and the state that resumes a broken body. The driver only streams the payload."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .._models import Metadata
from .flows import Close, Flow, OpContext, Response, get_flow
from .plan import RequestPlan, SessionInfo
from .resume import Download

__all__ = ["GetStream", "decode_wanted", "get_stream_flow", "response_metadata"]


@attrs.frozen(eq=False)
class GetStream:
    """What ``get`` hands its payload: the response with its body unread, the metadata the
    caller sees, whether to decode the stored encoding, and the resumable download state."""

    response: Response
    metadata: Metadata
    decode: bool
    download: Download


def decode_wanted(
    metadata: Metadata, decompress: bool, accept_encoding: Sequence[str] | None
) -> bool:
    """Whether ``get`` must decompress the stored encoding (upstream's rule)."""
    encoding = metadata.compression
    if not encoding or not decompress:
        return False
    accepted = accept_encoding or []
    if "*" in accepted or encoding in accepted:
        return False
    if encoding != "zstd":
        raise NotImplementedError(f"cannot decompress stored encoding {encoding!r}")
    return True


def response_metadata(
    response: Response, decompress: bool, accept_encoding: Sequence[str] | None
) -> tuple[Metadata, bool]:
    """Metadata of a download and whether to decode it (compression reset when decoding)."""
    metadata = Metadata.from_headers(response.headers)
    if not decode_wanted(metadata, decompress, accept_encoding):
        return metadata, False
    return attrs.evolve(metadata, compression=None), True


def get_stream_flow(
    ctx: OpContext,
    session: SessionInfo,
    plan: RequestPlan,
    decompress: bool,
    accept_encoding: Sequence[str] | None,
) -> Flow[GetStream | None]:
    """A streamed download ready to read, or None when the object is missing. A stored
    encoding that cannot be decoded raises NotImplementedError (the response is closed)."""
    started = ctx.clock()  # a broken body is resumed within the retry deadline from here
    response = yield from get_flow(ctx, session, plan)
    if response is None:
        return None
    try:
        metadata, decode = response_metadata(response, decompress, accept_encoding)
    except BaseException:  # an encoding that cannot be decoded, headers that do not parse
        yield Close(response)
        raise
    return GetStream(response, metadata, decode, Download.start(plan, response, started))
