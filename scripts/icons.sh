#!/usr/bin/env bash
# Render Folio's icon (assets/icons/folio.svg, drawn by hand) to the PNG sizes
# the Linux package installs and the window uses, and to the Windows .ico and
# macOS .icns the bundles use. Needs Debian's librsvg2-bin, imagemagick and
# icnsutils. The outputs are committed: run this only after changing the SVG.
set -euo pipefail
cd "$(dirname "$0")/../assets/icons"
for size in 16 32 48 64 128 256 512; do
    rsvg-convert -w "$size" -h "$size" folio.svg -o "folio-$size.png"
done
convert folio-16.png folio-32.png folio-48.png folio-64.png folio-128.png folio-256.png folio.ico
png2icns folio.icns folio-16.png folio-32.png folio-48.png folio-128.png folio-256.png folio-512.png >/dev/null
echo "rendered $(ls folio-*.png | wc -l) PNGs, folio.ico and folio.icns"
