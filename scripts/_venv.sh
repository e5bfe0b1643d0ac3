# Sourced by scripts/check and scripts/demo (bash). One function, a stable interface:
#
#   ensure_venv EXTRAS        e.g. ensure_venv dev   or   ensure_venv testing
#
# Creates the virtualenv $VENV (default .venv) with the interpreter $PYTHON (default python3) on
# first use, and installs the project into it, editable, with the given extras. The install is
# skipped when nothing it depends on changed since the last one: a stamp in the venv records the
# hash of pyproject.toml and objectstore_client/_version.py and the extras installed (the `dev`
# extra includes `testing`). A venv made by another Python version than $PYTHON is recreated.
# Afterwards $VENV/bin is first on PATH and PYTHON names the venv's interpreter.
#
#   PYTHON=python3.13 VENV=.venv-3.13 scripts/check     # another interpreter, its own venv
ensure_venv() {
  local extras="$1"
  VENV="${VENV:-.venv}"
  local base="${PYTHON:-python3}"
  local want_version
  want_version="$("$base" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')" || {
    echo "error: PYTHON=$base is not a working Python interpreter" >&2
    return 1
  }
  if [ -x "$VENV/bin/python" ]; then
    local have_version
    have_version="$("$VENV/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
    if [ "$have_version" != "$want_version" ] && [ -n "${PYTHON:-}" ]; then
      echo "== $VENV has Python $have_version, PYTHON=$base is $want_version: recreating it"
      rm -rf "$VENV"
    fi
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating the virtualenv $VENV (Python $want_version, from $base)"
    "$base" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade "pip>=24"
  fi
  local stamp="$VENV/.objectstore-install-stamp"
  local hash
  hash="$(cat pyproject.toml objectstore_client/_version.py | "$VENV/bin/python" -c \
    'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')"
  if grep -qx "$hash $extras" "$stamp" 2>/dev/null \
    || { [ "$extras" = testing ] && grep -qx "$hash dev" "$stamp" 2>/dev/null; }; then
    echo "== $VENV is up to date (pyproject.toml unchanged since the last install of [$extras])"
  else
    echo "== installing the project into $VENV with [$extras] (a few minutes the first time)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[$extras]"
    # keep stamps of the same hash only: another extra installed earlier is still there
    { grep "^$hash " "$stamp" 2>/dev/null || true; echo "$hash $extras"; } > "$stamp.new"
    mv "$stamp.new" "$stamp"
  fi
  local dir="$VENV"
  case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
  export PATH="$dir/bin:$PATH"
  export PYTHON="$dir/bin/python"
}
