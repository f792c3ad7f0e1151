#!/usr/bin/env bash
# Install the built bundle for the current user on Linux (no root, no Python needed):
#   bash install-linux.sh              # from an unpacked bundle folder (dist/annotator/)
#   bash packaging/install-linux.sh    # from a checkout after packaging/build.sh
#   bash install-linux.sh --uninstall
# Puts the app in ~/.local/opt/annotator, the command in ~/.local/bin/annotator, and the
# menu entry, icons and AppStream metadata under ~/.local/share. PREFIX=~/.local by default.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -x "$HERE/annotator" ]]; then
    BUNDLE="$HERE"  # running from inside the bundle
else
    BUNDLE="$(cd "$HERE/.." && pwd)/dist/annotator"
fi
PREFIX="${PREFIX:-$HOME/.local}"
APP="$PREFIX/opt/annotator"
SHARE="$PREFIX/share"
APPID="io.github.newsannotator.Annotator"
SIZES="16 32 48 64 128 256 512"

refresh() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [[ "${1:-}" == "--uninstall" ]]; then
    rm -rf "$APP"
    rm -f "$PREFIX/bin/annotator" "$SHARE/applications/annotator.desktop" "$SHARE/metainfo/$APPID.metainfo.xml"
    rm -f "$SHARE/icons/hicolor/scalable/apps/annotator.svg"
    for s in $SIZES; do rm -f "$SHARE/icons/hicolor/${s}x${s}/apps/annotator.png"; done
    refresh
    echo "removed News Annotator from $PREFIX (your projects in the data folder are kept)"
    exit 0
fi

[[ -x "$BUNDLE/annotator" ]] || { echo "install: no bundle at $BUNDLE (run packaging/build.sh)" >&2; exit 1; }
ICONS="$BUNDLE/_internal/annotator/resources/icons"
DESKTOP="$BUNDLE/annotator.desktop"
METAINFO="$BUNDLE/$APPID.metainfo.xml"
[[ -f "$DESKTOP" ]] || DESKTOP="$HERE/annotator.desktop"
[[ -f "$METAINFO" ]] || METAINFO="$HERE/$APPID.metainfo.xml"

if [[ "$BUNDLE" != "$APP" ]]; then
    rm -rf "$APP.new"
    mkdir -p "$(dirname "$APP")"
    cp -a "$BUNDLE" "$APP.new"
    rm -rf "$APP"
    mv "$APP.new" "$APP"
fi
mkdir -p "$PREFIX/bin" "$SHARE/applications" "$SHARE/metainfo" "$SHARE/icons/hicolor/scalable/apps"
ln -sf "$APP/annotator" "$PREFIX/bin/annotator"
# The menu entry names the full path, so it works even when ~/.local/bin is not on PATH.
sed -e "s|^Exec=annotator|Exec=\"$APP/annotator\"|" -e "s|^TryExec=annotator|TryExec=$APP/annotator|" \
    "$DESKTOP" >"$SHARE/applications/annotator.desktop"
cp "$METAINFO" "$SHARE/metainfo/$APPID.metainfo.xml"
cp "$ICONS/annotator.svg" "$SHARE/icons/hicolor/scalable/apps/annotator.svg"
for s in $SIZES; do
    mkdir -p "$SHARE/icons/hicolor/${s}x${s}/apps"
    cp "$ICONS/annotator-$s.png" "$SHARE/icons/hicolor/${s}x${s}/apps/annotator.png"
done
refresh
echo "installed News Annotator $("$APP/annotator" --version | cut -d' ' -f2) in $APP"
echo "  menu: News Annotator    terminal: annotator (in $PREFIX/bin)"
