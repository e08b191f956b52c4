# The Wechaty test gateway (scripts/wechaty-gateway): a Node PuppetServer hosting the mock puppet.
# Sourced, not executed. Re-running is cheap: it reinstalls only when the lockfile changed.

GATEWAY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/wechaty-gateway"

# Installs the gateway's exactly pinned npm packages from its lockfile when node_modules is
# missing or older than package-lock.json. Install scripts are skipped: nothing the gateway
# loads needs one (leveldown ships prebuilt binaries), and it keeps `npm ci` free of network
# calls other than the registry's.
ensure_gateway_installed() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "==> node and npm are required for the Wechaty gateway tests (Node 20 or newer)" >&2
        return 1
    fi
    # npm ci writes node_modules/.package-lock.json; it is older than the lockfile after a change.
    local installed="$GATEWAY_DIR/node_modules/.package-lock.json"
    if [ ! -f "$installed" ] || [ "$GATEWAY_DIR/package-lock.json" -nt "$installed" ]; then
        echo "==> installing the Wechaty test gateway (npm ci)"
        (cd "$GATEWAY_DIR" && npm ci --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error)
    fi
}
