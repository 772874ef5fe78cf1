#!/usr/bin/env bash
# Build Folio, run it under Xvfb on the sample library with the seed open,
# and save a screenshot: scripts/screenshot.sh [WIDTHxHEIGHT] [OUT.png]
# Needs Debian's xvfb, imagemagick, libgl1-mesa-dri and libegl1.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1280x800}
out=${2:-docs/screenshot-$size.png}
mkdir -p "$(dirname "$out")"
cargo build --release --quiet
data=$(mktemp -d)
export XDG_DATA_HOME="$data"
export XDG_CONFIG_HOME="$data/config"
Xvfb :77 -screen 0 "${size}x24" >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$data"' EXIT
sleep 1
DISPLAY=:77 WINIT_UNIX_BACKEND=x11 ./target/release/folio --sample --window-size "$size" &
app=$!
sleep "${FOLIO_SCREENSHOT_WAIT:-8}"
DISPLAY=:77 import -window root "$out"
kill $app 2>/dev/null || true
echo "saved $out"
