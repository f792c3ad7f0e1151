#!/usr/bin/env bash
# Run the built bundle headless the way a user would, in a throwaway data folder:
#   bash packaging/smoke.sh [path/to/dist/annotator]
# Checks --version, opening the window on the demo project (offscreen), importing files
# into a new project (including enough files to use the worker processes), `info --json`,
# and CSV export. Exits 0 only if every check that could run passed.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="${1:-$REPO/dist/annotator}"
EXE="$BUNDLE/annotator"
[[ -x "$EXE" ]] || { echo "smoke: no executable at $EXE (run packaging/build.sh first)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Never touch the real user's data folder or settings.
export ANNOTATOR_DATA_DIR="$work/data" XDG_CONFIG_HOME="$work/config" HOME="$work/home"
export QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="qt.qpa.*=false"
mkdir -p "$HOME"

passed=0 failed=0 skipped=0
ok()   { echo "  ok    $*"; passed=$((passed + 1)); }
bad()  { echo "  FAIL  $*"; failed=$((failed + 1)); }
skip() { echo "  skip  $*"; skipped=$((skipped + 1)); }
show() { sed 's/^/        | /' "$1" | tail -n 15; }

# Every run is bounded: a bundle that hangs (e.g. a worker process restarting the app) fails.
run() { timeout 120 "$EXE" "$@" >"$work/out" 2>"$work/err"; }

echo "smoke: $EXE"

# 1. --version
if run --version && grep -q "^annotator [0-9]" "$work/out"; then
    ok "--version: $(cat "$work/out")"
else
    bad "--version"; show "$work/err"
fi

# 2. the window on the default (demo) project, offscreen; the GUI quits once it is shown.
ANNOTATOR_EXIT_AFTER_SHOW=1 run; rc=$?
if [[ $rc -eq 0 ]]; then
    if [[ -n "$(find "$ANNOTATOR_DATA_DIR" -name '*.db' 2>/dev/null)" ]]; then
        ok "window opened offscreen on the demo project ($(find "$ANNOTATOR_DATA_DIR" -name '*.db' | head -1 | xargs basename) created), $(tail -1 "$work/out")"
    else
        bad "window opened but no demo project was created in ANNOTATOR_DATA_DIR"
    fi
elif grep -q "No module named 'annotator.gui.launch'" "$work/err"; then
    skip "window: this build has no annotator.gui.launch yet"
elif [[ $rc -eq 124 ]]; then
    bad "window did not close within 120 s (does the GUI honour ANNOTATOR_EXIT_AFTER_SHOW=1?)"
else
    bad "window on the demo project"; show "$work/err"
fi

# 2b. the same on a real X server (Xvfb), where installed: catches a missing X11 library.
if ! grep -qs "time since start to window" "$work/out"; then
    skip "window under X11: the offscreen window check did not pass"
elif ! command -v xvfb-run >/dev/null; then
    skip "window under X11: xvfb-run not installed (Debian: apt-get install xvfb)"
elif QT_QPA_PLATFORM=xcb ANNOTATOR_EXIT_AFTER_SHOW=1 timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" \
        "$EXE" >"$work/out" 2>"$work/err"; then
    ok "window under X11 (Xvfb): $(tail -1 "$work/out")"
else
    bad "window under X11 (Xvfb)"; show "$work/err"
fi

# 3. import: one hand-written article, plus 70 small ones so the importer uses worker processes.
mkdir -p "$work/in/many"
cat >"$work/in/ferry.txt" <<'EOF'
Ferry service to the islands resumes after storm

The island ferry will run again from Monday, the harbour office said on Friday.
"The pier is safe and the boats are ready," said harbour master Ines Olsen.
Residents had been without a crossing for nine days.
EOF
for i in $(seq 1 70); do
    printf 'Council note %s\n\nThe council discussed item %s on Tuesday. "We will decide next week," said councillor Tom Berg.\n' \
        "$i" "$i" >"$work/in/many/note-$i.txt"
done
project="$work/smoke project.db"  # a space in the path, as on many desktops
if run import "$project" "$work/in/ferry.txt" && run import --workers 2 "$project" "$work/in/many"; then
    ok "import: ferry.txt and 70 files with 2 worker processes"
else
    bad "import"; show "$work/out"; show "$work/err"
fi

# 4. info --json reports the articles
if run info --json "$project"; then
    articles=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["articles"])' "$work/out" 2>/dev/null \
               || sed -n 's/.*"articles": *\([0-9]*\).*/\1/p' "$work/out" | head -1)
    if [[ "${articles:-0}" -ge 71 ]]; then
        ok "info --json: $articles articles"
    else
        bad "info --json: expected at least 71 articles, got '${articles:-?}'"; show "$work/out"
    fi
else
    bad "info --json"; show "$work/err"
fi

# 5. HTML import (trafilatura, lxml, justext data inside the bundle) from the demo corpus
demo_html="$BUNDLE/_internal/annotator/resources/demo/climate_summit.html"
if [[ -f "$demo_html" ]] && run import --json "$work/html.db" "$demo_html" && grep -q '"articles_imported": 1' "$work/out"; then
    ok "import of an HTML page (trafilatura inside the bundle)"
else
    bad "import of the demo HTML page $demo_html"; show "$work/out"; show "$work/err"
fi

# 6. CSV export, when this build has the export command: a note and status given through
#    import-labels (when present) must come back out as a row.
if run export --help; then
    csv="$work/out.csv"
    want_row=no
    if run import-labels --help; then
        printf 'article_id,annotator,status,note\n1,smoke,labelled,"read, checked"\n' >"$work/labels.csv"
        if run import-labels "$project" "$work/labels.csv"; then
            want_row=yes
        else
            bad "import-labels of one note"; show "$work/out"; show "$work/err"
        fi
    fi
    if run export "$project" --out "$csv" && head -1 "$csv" | grep -q "article_id"; then
        if [[ $want_row == no ]]; then
            ok "export: CSV header written (no labels to export)"
        elif grep -q "read, checked" "$csv"; then
            ok "export: $(($(wc -l <"$csv") - 1)) labelled row(s) in the CSV, note intact"
        else
            bad "export: the imported note is not in the CSV"; show "$csv"
        fi
    else
        bad "export"; show "$work/out"; show "$work/err"
    fi
else
    skip "export: this build has no export command yet"
fi

# 7. A CSV export in parts: the bundle starts copies of itself (--export-part) for all but the
#    first range of articles; the file must be the one a single process writes.
if run export "$project" --level quote --out "$work/one.csv" && ANNOTATOR_EXPORT_PROCESSES=3 \
        run export "$project" --level quote --out "$work/three.csv" && cmp -s "$work/one.csv" "$work/three.csv"; then
    ok "export in three processes: $(($(wc -l <"$work/three.csv") - 1)) quote row(s), same file as one process"
else
    bad "export in parts (ANNOTATOR_EXPORT_PROCESSES=3)"; show "$work/out"; show "$work/err"
fi

echo "smoke: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
