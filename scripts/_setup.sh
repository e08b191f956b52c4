# Shared setup for ./scripts/*: a project virtualenv with tuanbot installed in editable mode.
# Sourced, not executed. Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON_BIN="${PYTHON:-python3}"

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "==> creating virtualenv in .venv"
        "$PYTHON_BIN" -m venv "$VENV"
    fi
    local stamp="$VENV/.tuanbot-installed"
    local want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "==> installing tuanbot and its dependencies"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null
        "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
        echo "$want" > "$stamp"
    fi
    export PATH="$VENV/bin:$PATH"
}
