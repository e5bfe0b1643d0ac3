# Sourced by scripts/check and scripts/demo: create the project virtualenv on first use and
# (re)install the project into it with the given extras. pip is quick when nothing changed.
#   ensure_venv EXTRAS    e.g. ensure_venv dev
ensure_venv() {
  VENV="${VENV:-.venv}"
  if [ ! -x "$VENV/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade "pip>=24"
  fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[$1]"
  export PATH="$PWD/$VENV/bin:$PATH"
  export PYTHON="$VENV/bin/python"
}
