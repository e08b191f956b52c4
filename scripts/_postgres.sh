# Throwaway PostgreSQL cluster on loopback for tests and benchmarks. Sourced, not executed.
# Installs Debian's postgresql package when no server binaries are present (CI starts clean).

pg_bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_postgres_installed() {
    if [ -n "$(pg_bindir)" ] && [ -x "$(pg_bindir)/initdb" ]; then
        return
    fi
    echo "==> installing PostgreSQL from Debian's packages"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

free_port() {
    "$PYTHON_BIN" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts a cluster and exports TUANBOT_TEST_PG_URL. Stops and removes it when the shell exits.
# Tests run it with fsync off (throwaway data); set PG_FSYNC=on to measure like production.
start_throwaway_postgres() {
    ensure_postgres_installed
    local bindir port datadir run_as=()
    bindir="$(pg_bindir)"
    port="$(free_port)"
    datadir="$(mktemp -d /tmp/tuanbot-pg.XXXXXX)"
    if [ "$(id -u)" -eq 0 ]; then
        # The server refuses to run as root; Debian's package creates the postgres user.
        chown postgres "$datadir"
        run_as=(runuser -u postgres --)
    fi
    "${run_as[@]}" "$bindir/initdb" -D "$datadir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >/dev/null
    # Settings go in the config file, so a plain `pg_ctl start` (the outage test) brings it back alike.
    cat >> "$datadir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$datadir'
fsync = ${PG_FSYNC:-off}
max_connections = 200
CONF
    "${run_as[@]}" "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/server.log" -w -t 60 start >/dev/null
    PG_RUN_AS="${run_as[*]}"
    PG_DATADIR="$datadir"
    PG_BINDIR="$bindir"
    trap stop_throwaway_postgres EXIT
    export TUANBOT_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    export TUANBOT_TEST_PG_CTL="$PG_RUN_AS $bindir/pg_ctl -D $datadir/data -l $datadir/server.log"
    echo "==> PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_throwaway_postgres() {
    if [ -n "${PG_DATADIR:-}" ]; then
        # shellcheck disable=SC2086
        $PG_RUN_AS "$PG_BINDIR/pg_ctl" -D "$PG_DATADIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$PG_DATADIR"
    fi
}
