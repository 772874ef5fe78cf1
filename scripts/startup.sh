#!/usr/bin/env bash
# Time Folio's window from process start to the first frame with rows, on
# the sample library, under Xvfb: scripts/startup.sh [BINARY] [RUNS]
# (default target/dist/folio, 5 runs). The first run builds the sample
# library (importing the samples); the others open it as it is. Needs
# Debian's xvfb, libgl1-mesa-dri and libegl1. The time is what Folio logs
# with RUST_LOG=folio::startup=info.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/dist/folio}
runs=${2:-5}
data=$(mktemp -d)
export XDG_DATA_HOME="$data" XDG_CONFIG_HOME="$data/config"
Xvfb :78 -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$data"' EXIT
sleep 1
for run in $(seq 0 "$runs"); do
    log="$data/run-$run.log"
    : >"$log"
    DISPLAY=:78 WINIT_UNIX_BACKEND=x11 RUST_LOG=folio::startup=info \
        "$bin" --sample --window-size 1280x800 2>"$log" &
    app=$!
    for _ in $(seq 1 600); do
        grep -q "first frame with rows" "$log" && break
        sleep 0.1
    done
    # Let the first run finish importing the samples before it is closed.
    [ "$run" = 0 ] && sleep 3
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
    ms=$(sed -n 's/.*first frame with rows: \([0-9]*\) ms.*/\1/p' "$log")
    if [ "$run" = 0 ]; then
        echo "first start (sample library built): ${ms:-?} ms"
    else
        echo "start $run: ${ms:-?} ms"
    fi
done
