#!/usr/bin/env bash
# After `cargo install --path . --profile dist --locked`: put Folio in this
# user's application menu and "Open with" lists (desktop entry, icons,
# metainfo and MIME types under ~/.local/share), pointing at the installed
# binary. `scripts/install-desktop.sh --remove` takes them away again.
set -euo pipefail
cd "$(dirname "$0")/.."
id=io.github.folio_archive.Folio
share=${XDG_DATA_HOME:-$HOME/.local/share}
files=(
    "applications/$id.desktop"
    "metainfo/$id.metainfo.xml"
    "mime/packages/$id.xml"
    "icons/hicolor/scalable/apps/$id.svg"
)
for size in 16 32 48 64 128 256 512; do
    files+=("icons/hicolor/${size}x${size}/apps/$id.png")
done
refresh() {
    command -v update-mime-database >/dev/null && update-mime-database "$share/mime" || true
    command -v update-desktop-database >/dev/null && update-desktop-database "$share/applications" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
}
if [ "${1:-}" = --remove ]; then
    for f in "${files[@]}"; do rm -f "$share/$f"; done
    refresh
    echo "removed Folio's desktop files from $share"
    exit 0
fi
bin=$(command -v folio) || { echo "folio is not on PATH: run cargo install --path . --profile dist --locked first" >&2; exit 1; }
for f in "${files[@]}"; do mkdir -p "$share/$(dirname "$f")"; done
sed "s|^Exec=folio |Exec=$bin |" "packaging/linux/$id.desktop" >"$share/applications/$id.desktop"
cp "packaging/linux/$id.metainfo.xml" "$share/metainfo/"
cp "packaging/linux/$id.mime.xml" "$share/mime/packages/$id.xml"
cp assets/icons/folio.svg "$share/icons/hicolor/scalable/apps/$id.svg"
for size in 16 32 48 64 128 256 512; do
    cp "assets/icons/folio-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$id.png"
done
refresh
echo "Folio ($bin) is in the application menu and offered for saved pages"
