"""Every default of the SDK, in one place (units in the names)."""

from __future__ import annotations

import os

#: Upstream default: 100 ms to establish a connection.
DEFAULT_CONNECT_TIMEOUT_S = 0.1
#: Longest silence while waiting for response bytes. An inactivity timeout, not a deadline for
#: the whole body: a download trickling at 1 KiB/s never trips it, a stalled one fails after
#: this long (upstream had none, so a stall after the headers blocked forever). ``timeout_ms``
#: replaces it.
DEFAULT_READ_TIMEOUT_S: float | None = 60.0
#: Longest time a request body may make no progress (the server not reading). Also per write,
#: so a server that reads slowly but steadily never trips it; never the connect timeout
#: (upstream trap).
DEFAULT_WRITE_TIMEOUT_S: float | None = 60.0
#: Waiting for a free pooled connection: all of them are taken by requests in flight or by
#: downloads whose payload is neither read to the end nor closed. Finite, so that holding as
#: many open payloads as the pool has connections fails with a RequestTimeout that says so
#: instead of blocking the next request forever.
DEFAULT_POOL_TIMEOUT_S: float | None = 30.0

#: Connection failures (and, for idempotent requests, retryable statuses) are retried at most
#: this often ...
DEFAULT_MAX_RETRIES = 10
#: ... and only while the next attempt starts within this many seconds of the first one. Rides
#: over a server restart (~1 s) or a burst of 503s; upstream's 3 quick retries lasted ~0.3 s.
DEFAULT_RETRY_DEADLINE_S = 10.0
INITIAL_RETRY_DELAY_S = 0.1
MAX_RETRY_DELAY_S = 2.0
#: A longer ``Retry-After`` is capped to this (one header must not hold a call for minutes).
MAX_RETRY_AFTER_S = 5.0
#: Statuses that idempotent requests retry.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})

#: Connections a client keeps alive (upstream's urllib3 pool kept 1). By default the pool is
#: not a cap: when every kept connection is busy it opens another, and closes the extras once
#: they are free (urllib3's ``block=False``). A cap would make a caller who holds downloads
#: open while it writes (a streamed copy, ``get`` -> ``put(payload)``) wait on itself.
DEFAULT_MAX_KEEPALIVE_CONNECTIONS = 32
#: AsyncClient's pool on the httpx engine, a cap (all kept alive) unless
#: ``connection_kwargs["limits"]`` or ``maxsize`` says otherwise.
#: httpcore 1.0.9's async pool scans every connection for every request (``is_idle`` /
#: ``has_expired`` polls each socket), so its cost grows with the pool: 16 tasks over 16
#: connections did 155 puts/s, over <= 8 connections 447. Extra tasks wait for a connection.
#: 8 covers the default concurrencies (upload 4, batches 3 + individual 5).
ASYNC_MAX_CONNECTIONS = 8
#: The SDK's own pool reads sockets up to this much per call (httpcore: 64 KiB). One cold
#: 100 MiB download per process (scripts/bench dl_*, same-run ratios to upstream):
#: 64 KiB text 0.77 / random 0.47, 256 KiB 0.77 / 0.51, 1 MiB 0.61 / 0.31 (likely: 1 MiB buffers no
#: longer stay in the 2 MiB L2 next to the decoder's and come fresh from mmap).
SOCKET_READ_BYTES = 256 * 1024
#: Writes up to this size are held back until the next write or read and sent together (a
#: request's headers and a small body in one segment).
COALESCE_WRITE_BYTES = 64 * 1024

#: Upload chunk size read from files and sliced from large bytes.
UPLOAD_CHUNK_BYTES = 1024 * 1024
#: Bytes below this are compressed in one shot and sent with a Content-Length.
ONE_SHOT_MAX_BYTES = 1024 * 1024
#: The decoder pulls compressed input in pieces of at most this size (as large as a socket
#: read: fewer slices and frame-tracker calls; dl_text 0.77 -> 0.82 with 256 KiB reads) ...
DECODE_INPUT_SLICE_BYTES = 256 * 1024
#: ... and hands out decoded pieces of at most this size.
DECODE_PIECE_BYTES = 1024 * 1024
#: A sync download reads the network in a worker thread (overlapping it with decompression on
#: the caller's thread) once this much compressed input ...
PUMP_PROBE_BYTES = 1024 * 1024
#: ... has decoded to at least this many times its size (incompressible data gains nothing
#: from the thread and loses to the hand-over: it stays on the caller's thread).
PUMP_MIN_RATIO = 2.0
#: Network chunks the worker may read ahead (each at most ``SOCKET_READ_BYTES``).
PUMP_QUEUE_CHUNKS = 8
#: zstd level used by upstream and by us.
ZSTD_LEVEL = 3
#: Compressed uploads end a zstd frame (and start an independent one) after this much input,
#: so large objects decode on several cores and resume at frame boundaries; the frames of
#: an object are still one plain zstd stream.
FRAME_INPUT_BYTES = 8 * 1024 * 1024
#: Adaptive compression (a put's ``compress`` not given, or ``"auto"``): the first this many
#: bytes of a payload are compressed once at zstd level 1 ...
ADAPTIVE_PROBE_BYTES = 64 * 1024
#: ... and when that saves less than this share, the payload is stored without zstd ...
ADAPTIVE_MIN_SAVING = 0.05
#: ... unless the payload is smaller than this (compressed as before: the probe would cost
#: more than it saves). Known compressed formats (by their leading bytes) are never compressed.
ADAPTIVE_PROBE_MIN_BYTES = 16 * 1024
#: Inputs of a known size at least this large compress with all cores (threads=-1).
MULTITHREAD_COMPRESSION_MIN_BYTES = 16 * 1024 * 1024
#: zstd job size for multi-threaded compression: bounds the workers' buffers (~+10 MiB RSS).
MULTITHREAD_JOB_BYTES = 2 * 1024 * 1024
#: Before going multi-threaded, this much input is compressed once single-threaded to estimate
#: the ratio ...
COMPRESSION_PROBE_BYTES = 256 * 1024
#: ... and the encoder stays single-threaded when that saves less than this share: threads do
#: not speed up incompressible data, and their buffers cost ~+100 MiB RSS (measured +95-182 MiB
#: vs +6 MiB single-threaded for 100 MiB of random bytes).
MIN_MULTITHREAD_SAVING = 0.1

#: Default validity of signed tokens (upstream: 60 s).
DEFAULT_TOKEN_EXPIRY_S = 60
#: A cached token is re-signed when less than this share of its validity is left ...
TOKEN_REFRESH_FRACTION = 0.25
#: ... but never later than this many seconds before it expires.
TOKEN_REFRESH_MAX_MARGIN_S = 30.0
#: Cached tokens per client (scopes x permissions); the cache is cleared when full.
TOKEN_CACHE_SIZE = 1024

AUTH_HEADER = "x-os-auth"
USER_AGENT_PREFIX = "objectstore-client"
EMPTY_SCOPE = "_"

#: Every GET asks for this range: servers with range support (0.1.12+) then send the stored
#: size (Content-Range) and a Content-Length, so a short body is noticed and can be resumed.
GET_RANGE = "bytes=0-"

HEADER_EXPIRATION = "x-sn-expiration"
HEADER_TIME_CREATED = "x-sn-time-created"
HEADER_TIME_EXPIRES = "x-sn-time-expires"
HEADER_ORIGIN = "x-sn-origin"
HEADER_FILENAME = "x-sn-filename"
HEADER_SIZE = "x-sn-size"
HEADER_META_PREFIX = "x-snme-"

#: Automatic uploads (``Session.upload``): sources of at least this size use multipart.
DEFAULT_MULTIPART_THRESHOLD_BYTES = 64 * 1024 * 1024
#: Size of each part (before compression).
DEFAULT_PART_SIZE_BYTES = 16 * 1024 * 1024
#: Parts uploaded at the same time; memory is bounded by concurrency x part size. Each part is
#: compressed in its worker, so more parts than cores only oversubscribe the CPU (2 cores:
#: 160 MB/s at 4 against 217 MB/s at 2); at least 2 keep one part on the wire while another
#: compresses.
DEFAULT_UPLOAD_CONCURRENCY = max(2, min(4, os.cpu_count() or 1))
#: Smallest part size accepted at all (the local server enforces none; handy for tests).
MIN_PART_SIZE_BYTES = 1024
#: Below this part size a warning is emitted: production (GCS) rejects smaller parts
#: except the last one.
RECOMMENDED_MIN_PART_SIZE_BYTES = 5 * 1024 * 1024
#: ``Session.download`` hands received bytes to the destination (and the decoder) in batches
#: of about this size: few worker-thread hand-overs on the asyncio client, bounded memory.
DOWNLOAD_WRITE_BYTES = 1024 * 1024
#: ``Session.download`` decodes the frames of a compressed object on this many threads
#: (``TransferConfig.decode_threads``; zstd releases the GIL) ...
DEFAULT_DECODE_THREADS = max(1, min(4, os.cpu_count() or 1))
#: ... when every frame declares a content size of at most this (the SDK writes 8 MiB
#: frames; multipart parts of up to 32 MiB qualify too); otherwise the rest is one stream.
MAX_PARALLEL_FRAME_BYTES = 32 * 1024 * 1024
#: Progress callbacks are called at most once per this many bytes (plus at the end).
PROGRESS_AGGREGATION_BYTES = 256 * 1024

#: Pre-signed URLs are valid for at most 7 days (server limit).
MAX_PRESIGN_SECONDS = 7 * 24 * 3600
DEFAULT_PRESIGN_SECONDS = 3600

#: Batch limits (the server's and Rust's): operations and estimated bytes per batch request,
#: and the largest insert (after compression) sent inside a batch.
BATCH_MAX_OPERATIONS = 1000
BATCH_MAX_BYTES = 100 * 1024 * 1024
BATCH_MAX_INSERT_BYTES = 1024 * 1024
#: A batch body is sent in chunks of about this size: few send() calls, bounded copies.
BATCH_BODY_CHUNK_BYTES = 1024 * 1024
#: Batch requests and individual requests (large inserts) run with this much concurrency.
DEFAULT_BATCH_CONCURRENCY = 3
DEFAULT_INDIVIDUAL_CONCURRENCY = 5
