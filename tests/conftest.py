"""Suite-wide checks.

**Nothing left in the temporary directory.** When the session starts with an empty temporary
directory (run the suite with a private one: ``TMPDIR=$(mktemp -d) pytest``), it must end
empty too, or the session fails and names what was left. One entry is accounted for: pytest's
own ``pytest-of-<user>`` directory, where it keeps the ``tmp_path`` directories of the last
three runs on purpose (``--basetemp`` moves them elsewhere, and then nothing is exempt).
"""

from __future__ import annotations

import getpass
import tempfile
from pathlib import Path

import pytest

_EMPTY_AT_START = pytest.StashKey[bool]()


def _temp_root() -> Path:
    return Path(tempfile.gettempdir())


def _pytest_own(config: pytest.Config) -> set[Path]:
    """pytest's basetemp parent, when it lives in the temporary directory (the default)."""
    if config.option.basetemp:
        return set()
    try:
        user = getpass.getuser()
    except (ImportError, KeyError, OSError):
        user = "unknown"
    return {_temp_root() / f"pytest-of-{user}"}


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_EMPTY_AT_START] = not any(_temp_root().iterdir())


def leftovers(config: pytest.Config) -> list[str]:
    """Entries of the temporary directory that the session created and did not remove."""
    if not config.stash.get(_EMPTY_AT_START, False):
        return []
    exempt = _pytest_own(config)
    return sorted(p.name for p in _temp_root().iterdir() if p not in exempt)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    left = leftovers(session.config)
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = f"the test session left {len(left)} entries in {_temp_root()}: {left[:20]}"
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
