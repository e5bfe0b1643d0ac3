"""TTL/TTI expiry with the production semantics (reference §7), driven by a fake clock.

The real server's filesystem backend never expires anything; these tests describe the
production backends (GCS/Bigtable), which the local server mirrors.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import Clocked

pytestmark = pytest.mark.local_only


def _ts(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


def test_ttl_object_is_404_after_its_deadline(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    api.put("k", b"x", **{"x-sn-expiration": "ttl:1h"})
    clock.advance(3599)
    assert api.get("k").status_code == 200
    clock.advance(2)
    assert api.get("k").status_code == 404
    assert api.head("k").status_code == 404


def test_ttl_is_not_extended_by_reads(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    api.put("k", b"x", **{"x-sn-expiration": "ttl:1h"})
    for _ in range(3):
        clock.advance(1800)
        api.get("k")
    assert api.get("k").status_code == 404


def test_ttl_zero_is_absent_as_soon_as_time_moves(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    assert api.put("k", b"x", **{"x-sn-expiration": "ttl:0s"}).status_code == 200
    clock.advance(0.001)
    assert api.get("k").status_code == 404


def test_tti_read_bumps_the_deadline_and_reports_the_old_one(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    api.put("k", b"x", **{"x-sn-expiration": "tti:1h"})
    first = _ts(api.head("k").headers["x-sn-time-expires"])
    clock.advance(50 * 60)  # past the 15 min debounce: this read bumps
    assert _ts(api.get("k").headers["x-sn-time-expires"]) == first
    clock.advance(30 * 60)  # 80 min after the write: alive only thanks to the bump
    response = api.head("k")
    assert response.status_code == 204
    assert _ts(response.headers["x-sn-time-expires"]) == first + dt.timedelta(minutes=50)


def test_tti_bump_is_debounced(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    api.put("k", b"x", **{"x-sn-expiration": "tti:1h"})
    clock.advance(10 * 60)  # within min(1h / 4, 24h) = 15 min: no bump
    api.get("k")
    clock.advance(50 * 60 + 1)
    assert api.get("k").status_code == 404


def test_long_tti_debounce_is_capped_at_one_day(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    api.put("k", b"x", **{"x-sn-expiration": "tti:30days"})
    created = _ts(api.head("k").headers["x-sn-time-expires"])
    clock.advance(86400 + 60)  # more than a day: bump although tti / 4 is 7.5 days
    api.get("k")
    bumped = _ts(api.head("k").headers["x-sn-time-expires"])
    assert bumped - created == dt.timedelta(seconds=86400 + 60)


def test_expired_object_can_be_overwritten_and_deleted(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    api.put("k", b"old", **{"x-sn-expiration": "ttl:1s"})
    clock.advance(5)
    assert api.delete("k").status_code == 204
    api.put("k2", b"old", **{"x-sn-expiration": "ttl:1s"})
    clock.advance(5)
    api.put("k2", b"new")
    assert api.get("k2").content == b"new"


def test_time_created_follows_the_server_clock(clocked: Clocked) -> None:
    api, clock = clocked.api, clocked.clock
    clock.advance(86400)
    api.put("k", b"x")
    created = _ts(api.head("k").headers["x-sn-time-created"])
    expected = dt.datetime.fromtimestamp(clock(), dt.timezone.utc)
    assert abs((created - expected).total_seconds()) < 1e-3
