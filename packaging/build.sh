#!/usr/bin/env bash
# Build the one-folder desktop bundle dist/annotator/ with PyInstaller, then print its size
# and how long it takes to start.
#
#   bash packaging/build.sh                      # makes/uses a build venv in build/pyi-venv
#   ANNOTATOR_BUILD_PYTHON=.venv/bin/python bash packaging/build.sh   # use that Python's env
#
# Output: dist/annotator/annotator (the executable) and dist/annotator/_internal/.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
started=$(date +%s)

if [[ -n "${ANNOTATOR_BUILD_PYTHON:-}" ]]; then
    PY="$ANNOTATOR_BUILD_PYTHON"
    echo "build: using $PY"
else
    VENV="$REPO/build/pyi-venv"
    if [[ ! -x "$VENV/bin/python" ]]; then
        echo "build: creating build venv $VENV"
        "${PYTHON:-python3}" -m venv "$VENV"
    fi
    PY="$VENV/bin/python"
fi

echo "build: installing pyinstaller and the project"
"$PY" -m pip install -q --disable-pip-version-check "pyinstaller>=6.5"
if [[ -z "${ANNOTATOR_BUILD_PYTHON:-}" ]]; then
    # The project's dependencies, as a user's install gets them. PyInstaller reads our own
    # code from the checkout itself (pathex in the spec), so the bundle is always this tree.
    "$PY" -m pip install -q --disable-pip-version-check "$REPO"
fi

if [[ "$(uname -s)" == Linux ]] && command -v ldconfig >/dev/null; then
    # Qt's X11 plugin needs these; PyInstaller bundles them only when the build machine has them.
    known_libs="$(ldconfig -p)"
    for lib in libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-cursor.so.0; do
        [[ "$known_libs" == *"$lib"* ]] || echo "build: WARNING: $lib is not installed here, so the bundle will" \
            "need it on the user's machine for X11 (Debian/Ubuntu: apt-get install libxcb-icccm4" \
            "libxcb-keysyms1 libxcb-cursor0 before building)" >&2
    done
fi

echo "build: pyinstaller (one folder)"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$REPO/dist" --workpath "$REPO/build/pyinstaller" \
    "$REPO/packaging/annotator.spec"

BUNDLE="$REPO/dist/annotator"
EXE="$BUNDLE/annotator"
[[ -x "$EXE" ]] || { echo "build: FAILED, no $EXE" >&2; exit 1; }
# What a user needs to install the unpacked folder on Linux without the checkout.
cp "$REPO/packaging/install-linux.sh" "$REPO/packaging/annotator.desktop" \
   "$REPO/packaging/io.github.newsannotator.Annotator.metainfo.xml" "$BUNDLE/"
built=$(date +%s)
echo "build: built $BUNDLE in $((built - started)) s"

# --- figures -------------------------------------------------------------------------
echo "bundle size: $(du -sh "$BUNDLE" | cut -f1) ($(du -sk "$BUNDLE" | cut -f1) KiB, $(find "$BUNDLE" -type f | wc -l) files)"

# Cold start: the first run after the build (page cache warm from copying, so "cold" means
# a fresh process, not a cold disk). A throwaway data folder keeps the user's own untouched.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export ANNOTATOR_DATA_DIR="$scratch/data" XDG_CONFIG_HOME="$scratch/config"
export QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="qt.qpa.*=false"

seconds() {  # run a command, print its wall time in seconds
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$scratch/stderr" || { echo "FAILED: $*" >&2; cat "$scratch/stderr" >&2; return 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

echo "start: --version $(seconds "$EXE" --version) s"
if grep -qs ANNOTATOR_EXIT_AFTER_SHOW "$REPO/annotator/gui/launch.py"; then
    # The GUI shows its window, paints it, prints "time since start to window: N s" and exits.
    # The first start also creates the demo project in the data folder; the next ones open it.
    window_time() {
        local t0 t1 said
        t0=$(date +%s.%N)
        said=$(ANNOTATOR_EXIT_AFTER_SHOW=1 "$EXE" 2>"$scratch/stderr") \
            || { echo "FAILED: window start" >&2; cat "$scratch/stderr" >&2; return 1; }
        t1=$(date +%s.%N)
        awk -v a="$t0" -v b="$t1" -v s="$said" 'BEGIN { n = split(s, w, " "); \
            printf "%.2f s to a painted window, %.2f s until the process ended", w[n-1], b - a }'
    }
    echo "start (first run, creates the demo project): $(window_time)"
    echo "start (cold start of the app, offscreen):     $(window_time)   goal: < 2 s to the window"
else
    "$EXE" import "$scratch/p.db" "$REPO/resources/demo" >/dev/null
    echo "start: window not timed (annotator/gui/launch.py does not honour ANNOTATOR_EXIT_AFTER_SHOW);" \
         "info on the demo project $(seconds "$EXE" info "$scratch/p.db") s"
fi

# --- desktop metadata (only where the validators are installed) -----------------------
status=0
if command -v appstreamcli >/dev/null; then
    if out=$(appstreamcli validate --no-net "$REPO/packaging/io.github.newsannotator.Annotator.metainfo.xml" 2>&1); then
        echo "appstream: $(echo "$out" | tail -1)"
    else
        echo "$out" >&2; echo "appstream: metainfo FAILED validation" >&2; status=1
    fi
else
    echo "appstream: appstreamcli not installed, metainfo not validated"
fi
if command -v desktop-file-validate >/dev/null; then
    if desktop-file-validate "$REPO/packaging/annotator.desktop"; then
        echo "desktop entry: valid"
    else
        echo "desktop entry: FAILED validation" >&2; status=1
    fi
fi
exit $status
