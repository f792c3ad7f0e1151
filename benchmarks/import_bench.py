"""Import throughput and peak memory per input format, beside the ceilings measured in the same run.

    python benchmarks/import_bench.py [--n 10000] [--formats txt,json,jsonl,csv,nexis,html,factiva,factiva-xml,nexis-html]
        [--readers] [--small-export 262]

For each format it writes N synthetic articles (txt and html: one file each; json: 100 a file;
jsonl, csv, nexis: 1,000 a file; factiva (a Factiva HTML export saved from the article view),
factiva-xml (a Factiva XML delivery) and nexis-html (a Nexis UK HTML export): all N in one export file, about 70 MB for the default N, or
`--export-docs` a file, as the databases hand them out: 100 a download from Factiva, 500 from
Nexis UK), runs `annotator import` in a child process, and prints
articles/s, articles per CPU second (the importer and its reader processes: steadier than wall time
on a shared machine) and the peak resident memory of the importer with its reader processes; each
row after a `jsonl` one says its ratio to it. Ceilings: raw sqlite-utils insert_all of the same rows, and
trafilatura's own single-core extraction speed on the HTML pages. `--with-detect` also times
each import with quote detection on (as `annotator import` does by default; the first figures are
`--no-detect`: reading, checking and storing). Prints figures only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import article  # noqa: E402

PER_FILE = {"txt": 1, "html": 1, "json": 100, "jsonl": 1000, "csv": 1000, "nexis": 1000}
EXPORTS = {"factiva", "factiva-xml", "nexis-html"}  # one export file of all N articles, or EXPORT_DOCS a file
EXPORT_DOCS = 0


def _factiva_page(chunk: list[dict], first: int = 0) -> str:
    """A Factiva export as the article view saves it (current layout, English interface)."""
    blocks = []
    for i, a in enumerate(chunk):
        accession = f"BNCH000020260303e{first + i:09d}"  # unique: the same id twice is one article
        paras = "".join(f'<p class="articleParagraph enarticleParagraph">{p}  </p>\n'
                        for p in a["text"].split("\n\n")[1:])
        blocks.append(
            f'<div id="article-{accession}" class="article"><div class="article enArticle"><p>\n</p>'
            f"<div>News; 3</div>\n<div id=\"hd\"><span class=\"enHeadline\">{a['title']}  </span>\n</div>"
            f"<div class=\"author\">By {a['author']}  </div><div>{len(a['text'].split())} words</div>"
            f"<div>3 March 2026</div><div>{a['outlet']}</div><div>BNCH</div><div>Final Edition</div><div>3</div>"
            f"<div>English</div><div>Copyright 2026 Example Ltd. All Rights Reserved.</div>\n<p></p>\n{paras}"
            f"<p>{a['outlet']} (Full Text)</p><p>Document {accession}</p></div></div><br><span></span>\n"
        )
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>Factiva</title>'
            '</head><body><div id="navcontainer" class="fcpNavContainer"><table><tr><td class="factivalogo">'
            '<h1>Dow Jones Factiva</h1></td></tr></table></div><form name="PageBaseForm" method="post">'
            '<div id="contentWrapper"><div id="contentLeft"><span></span>\n' + "".join(blocks)
            + "</div></div></form></body></html>\n")


def _factiva_xml(chunk: list[dict], first: int = 0) -> str:
    """A Factiva XML delivery (PPSResponse), as the API hands it out."""
    from xml.sax.saxutils import escape

    articles = []
    for i, a in enumerate(chunk):
        paras = a["text"].split("\n\n")[1:]
        tail = "".join(f"<paragraph>{escape(p)}</paragraph>" for p in paras[1:])
        articles.append(
            f"<ppsarticle><article><accessionNo>BNCH000020260303e{first + i:09d}</accessionNo>"
            f"<baseLanguage>EN</baseLanguage><headline><paragraph>{escape(a['title'])}</paragraph></headline>"
            f"<byline>By {escape(a['author'])}</byline>"
            f"<leadParagraph><paragraph>{escape(paras[0])}</paragraph></leadParagraph>"
            f"<publicationDate><dateTime>2026-03-03T00:00:00Z</dateTime></publicationDate>"
            f"<sourceName>{escape(a['outlet'])}</sourceName><sourceCode>BNCH</sourceCode>"
            f"<tailParagraphs>{tail}</tailParagraphs><wordCount>{len(a['text'].split())}</wordCount></article>"
            "</ppsarticle>\n"
        )
    return ('<?xml version="1.0" encoding="utf-8"?>\n<PPSResponse><ppsArticleResponse '
            'xmlns="http://global.factiva.com/pps/2.0"><ppsarticleResultSet count="' + str(len(chunk)) + '">\n'
            + "".join(articles) + "</ppsarticleResultSet></ppsArticleResponse></PPSResponse>\n")


def _nexis_page(chunk: list[dict]) -> str:
    """A Nexis UK (LexisNexis Academic) export saved as HTML."""
    docs = []
    n = len(chunk)
    for i, a in enumerate(chunk, 1):
        paras = "".join(f'<P CLASS="c9"><SPAN CLASS="c2">{p}</SPAN></P>\n' for p in a["text"].split("\n\n")[1:])

        def field(label, value):
            return (f'<BR><DIV CLASS="c5"><P CLASS="c6"><SPAN CLASS="c8">{label}: </SPAN>'
                    f'<SPAN CLASS="c2">{value}</SPAN></P>\n</DIV>\n')

        docs.append(
            f'<A NAME="DOC_ID_{i}_0"></A><!-- Hide XML section from browser\n<DOC NUMBER=1>\n<DOCFULL> -->\n'
            f'<BR><DIV CLASS="c0"><P CLASS="c1"><SPAN CLASS="c2">{i} of {n} DOCUMENTS</SPAN></P>\n</DIV>\n'
            f'<BR><DIV CLASS="c0"><BR><P CLASS="c1"><SPAN CLASS="c2">{a["outlet"]}</SPAN></P>\n</DIV>\n'
            f'<BR><DIV CLASS="c3"><P CLASS="c1"><SPAN CLASS="c2">March 3, 2026 Tuesday</SPAN></P>\n</DIV>\n'
            f'<BR><DIV CLASS="c5"><P CLASS="c6"><SPAN CLASS="c7">{a["title"]}</SPAN></P>\n</DIV>\n'
            + field("BYLINE", a["author"]) + field("SECTION", "NEWS; Pg. 3") + field("LENGTH", "700 words")
            + f'<BR><DIV CLASS="c5">{paras}</DIV>\n'
            + field("LOAD-DATE", "March 4, 2026") + field("LANGUAGE", "ENGLISH")
            + '<BR><DIV CLASS="c0"><BR><P CLASS="c1"><SPAN CLASS="c2">Copyright 2026 Example Ltd.</SPAN></P>\n</DIV>\n'
            '<!-- Hide XML section from browser\n</DOCFULL>\n</DOC> -->\n'
        )
    return ("<HTML>\n<HEAD>\n<!-- LXNComment 1:1 -->\n<TITLE>&nbsp;</TITLE>\n</HEAD>\n<BODY>\n"
            '<DIV CLASS="c5"><P CLASS="c6"><SPAN CLASS="c12">Download Request: Selected Items: 1-'
            f"{n}<BR>Terms: benchmark<BR></SPAN></P>\n</DIV>\n" + "".join(docs) + "</BODY></HTML>\n")


def write_corpus(fmt: str, n: int, folder: Path) -> list[dict]:
    rng = random.Random(42)
    rows = [article(rng, i) for i in range(n)]
    folder.mkdir(parents=True)
    per = (EXPORT_DOCS or n) if fmt in EXPORTS else PER_FILE[fmt]
    for start in range(0, n, per):
        chunk = rows[start : start + per]
        name = folder / f"part{start:07d}"
        if fmt == "txt":
            name.with_suffix(".txt").write_text(chunk[0]["text"], encoding="utf-8")
        elif fmt == "html":
            a = chunk[0]
            paras = "".join(f"<p>{p}</p>\n" for p in a["text"].split("\n\n")[1:])
            name.with_suffix(".html").write_text(
                f"<html><head><meta charset='utf-8'><title>{a['title']}</title>"
                f"<meta property='og:site_name' content='{a['outlet']}'>"
                f"<meta name='author' content='{a['author']}'>"
                f"<meta property='article:published_time' content='{a['published']}'></head><body>"
                f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{a['title']}</h1>"
                f"{paras}</article><footer>Copyright</footer></body></html>",
                encoding="utf-8",
            )
        elif fmt == "json":
            name.with_suffix(".json").write_text(json.dumps(chunk), encoding="utf-8")
        elif fmt == "jsonl":
            with open(name.with_suffix(".jsonl"), "w", encoding="utf-8") as fh:
                for a in chunk:
                    fh.write(json.dumps(a) + "\n")
        elif fmt == "csv":
            with open(name.with_suffix(".csv"), "w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(chunk[0]))
                writer.writeheader()
                writer.writerows(chunk)
        elif fmt == "factiva":
            name.with_suffix(".html").write_text(_factiva_page(chunk, start), encoding="utf-8")
        elif fmt == "factiva-xml":
            name.with_suffix(".xml").write_text(_factiva_xml(chunk, start), encoding="utf-8")
        elif fmt == "nexis-html":
            name.with_suffix(".html").write_text(_nexis_page(chunk), encoding="utf-8")
        elif fmt == "nexis":
            with open(name.with_suffix(".txt"), "w", encoding="utf-8") as fh:
                for i, a in enumerate(chunk, 1):
                    fh.write(
                        f"                {i} of {len(chunk)} DOCUMENTS\n\n\n"
                        f"                              {a['outlet']}\n\n"
                        f"                          March 3, 2026 Tuesday\n\n{a['title']}\n\n"
                        f"SECTION: NEWS; Pg. 3\n\nLENGTH: 700 words\n\nBYLINE: {a['author']}\n\n"
                        + a["text"].split("\n\n", 1)[1]
                        + "\n\n\nLOAD-DATE: March 4, 2026\n\nLANGUAGE: ENGLISH\n\n"
                        "PUBLICATION-TYPE: Newspaper\n\nCopyright 2026 Example Ltd.\n\n\n"
                    )
    return rows


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                kids.extend(int(k) for k in fh.read().split())
    except OSError:
        pass
    return kids


def tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants (the importer and its reader processes).

    Cheap enough to poll often (it reads only this process tree), so the measuring does not slow
    what it measures."""
    total, frontier = 0, [root]
    while frontier:
        pid = frontier.pop()
        frontier.extend(_children(pid))
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def user_env(tmp: Path) -> dict:
    """The environment of a user's install: pandas (test extra only; sqlite-utils imports it when
    present, ~0.3 s and ~40 MB a process) hidden from the child."""
    hidden = tmp / "hidden"
    (hidden / "pandas").mkdir(parents=True, exist_ok=True)
    (hidden / "pandas" / "__init__.py").write_text("raise ImportError('not installed for users')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hidden), env.get("PYTHONPATH")]))
    return env


ENV: dict | None = None


def run_import(folder: Path, project: Path, detect: bool = False) -> tuple[float, int, dict]:
    """Wall time, peak resident memory of the whole process tree (KB, polled), and the JSON report;
    the CPU seconds of the importer and its reader processes go into the report as `cpu_seconds`."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    flags = [] if detect else ["--no-detect"]
    out_path, err_path = project.with_suffix(".out"), project.with_suffix(".err")
    with open(out_path, "w") as out, open(err_path, "w") as err:  # files, not pipes: the report is long
        child = subprocess.Popen(
            [sys.executable, "-m", "annotator", "import", str(project), str(folder), "--json", *flags],
            stdout=out, stderr=err, text=True, env=ENV,
        )
        peak = 0
        while child.poll() is None:
            peak = max(peak, tree_rss_kb(child.pid))
            time.sleep(0.05)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stdout, stderr = out_path.read_text(), err_path.read_text()
    report = json.loads(stdout) if stdout.strip().startswith("{") else {"error": stderr[-500:]}
    report["cpu_seconds"] = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    return elapsed, peak, report


def raw_insert_ceiling(rows: list[dict], tmp: Path) -> float:
    import sqlite_utils

    db = sqlite_utils.Database(tmp / "raw.db")
    db.enable_wal()
    start = time.perf_counter()
    with db.atomic():
        db["articles"].insert_all(rows, batch_size=500)
    elapsed = time.perf_counter() - start
    db.close()
    return len(rows) / elapsed


def trafilatura_ceiling(folder: Path, limit: int = 300) -> float:
    import trafilatura

    files = sorted(folder.glob("*.html"))[:limit]
    start = time.perf_counter()
    for f in files:
        trafilatura.bare_extraction(f.read_text(encoding="utf-8"), with_metadata=True)
    return len(files) / (time.perf_counter() - start)


def reader_rates(folder: Path) -> float:
    """Articles/s of the readers alone (this process, nothing stored): the best of three runs."""
    from annotator.core.ingest import read_source
    from annotator.core.ingest.source import iter_sources

    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        count = sum(1 for source in iter_sources([folder]) for got in read_source(source) if hasattr(got, "text"))
        best = max(best, count / (time.perf_counter() - start))
    return best


def small_export_seconds(fmt: str, n: int, tmp: Path) -> float:
    """Seconds to import one export of n documents into a new project (in this process, no detection)."""
    from annotator.core.importer import import_paths
    from annotator.core.store import open_project

    folder = tmp / f"small-{fmt}"
    write_corpus(fmt, n, folder)
    best = float("inf")
    for attempt in range(3):
        project = open_project(tmp / f"small-{fmt}-{attempt}.db")
        start = time.perf_counter()
        report = import_paths(project, [folder], detect=False)
        best = min(best, time.perf_counter() - start)
        project.close()
        assert report.imported_articles == n, report.summary()
    shutil.rmtree(folder)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--formats", default="txt,json,jsonl,csv,nexis,html,factiva,factiva-xml,nexis-html")
    parser.add_argument("--with-detect", action="store_true",
                        help="also time each import with quote detection on (the default of `annotator import`)")
    parser.add_argument("--export-docs", type=int, default=0, metavar="N",
                        help="documents per Factiva / Nexis HTML export file (default: all in one file); "
                        "Factiva downloads 100 articles at a time, Nexis UK 500")
    parser.add_argument("--small-export", type=int, default=0, metavar="N",
                        help="also time importing one export of N documents (262: the Nexis file the issue names)")
    parser.add_argument("--readers", action="store_true",
                        help="also time each format's reader alone, beside the JSON Lines reader on the same articles")
    parser.add_argument("--with-test-extras", action="store_true",
                        help="leave pandas importable (the development venv as it is)")
    args = parser.parse_args()
    global EXPORT_DOCS
    EXPORT_DOCS = args.export_docs
    tmp = Path(tempfile.mkdtemp(prefix="import_bench_"))
    global ENV
    ENV = None if args.with_test_extras else user_env(tmp)
    print("environment: " + ("development (pandas importable)" if args.with_test_extras else
                             "as installed for users (the test-only pandas hidden)"))
    print(f"cores: {os.cpu_count()}  articles per format: {args.n}")
    print(f"{'format':<10} {'files':>6} {'articles/s':>11} {'per CPU s':>10} {'ceiling/s':>10} {'peak MB':>8}  result")
    try:
        if args.small_export:
            print(f"one export of {args.small_export} documents into a new project (best of 3, no detection):")
            base = small_export_seconds("jsonl", args.small_export, tmp)
            print(f"  {'jsonl':<10} {base:>6.3f} s  (baseline: the same articles as JSON Lines)")
            for fmt in ("factiva", "nexis-html", "nexis"):
                took = small_export_seconds(fmt, args.small_export, tmp)
                print(f"  {fmt:<10} {took:>6.3f} s  ratio to jsonl {took / base:.2f}")
        if args.readers:
            print("readers alone (no storing), articles/s, beside the JSON Lines reader on the same articles:")
            baseline_folder = tmp / "baseline-jsonl"
            write_corpus("jsonl", args.n, baseline_folder)
            baseline = reader_rates(baseline_folder)
            print(f"  {'jsonl':<10} {baseline:>8.0f}  (baseline)")
            for fmt in args.formats.split(","):
                folder = tmp / f"reader-{fmt}"
                write_corpus(fmt, args.n, folder)
                rate = reader_rates(folder)
                print(f"  {fmt:<10} {rate:>8.0f}  ratio to jsonl {rate / baseline:.2f}")
                shutil.rmtree(folder)
            shutil.rmtree(baseline_folder)
        baselines: dict[str, tuple[float, float]] = {}
        for fmt in args.formats.split(","):
            folder = tmp / fmt
            rows = write_corpus(fmt, args.n, folder)
            files = len(list(folder.iterdir()))
            size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
            elapsed, peak_kb, report = run_import(folder, tmp / f"{fmt}.db")
            rate = report.get("articles_imported", 0) / elapsed
            per_cpu = report.get("articles_imported", 0) / max(report["cpu_seconds"], 1e-9)
            if fmt == "html":
                ceiling = trafilatura_ceiling(folder)
                label = "trafilatura 1 core"
            else:
                ceiling = raw_insert_ceiling(rows, tmp / "raw" if False else tmp)
                (tmp / "raw.db").unlink(missing_ok=True)
                label = "raw insert_all"
            ok = f"{report.get('articles_imported')} imported, {report.get('failed_files')} failed"
            if fmt == "jsonl":
                baselines["jsonl"] = (rate, per_cpu)
            elif "jsonl" in baselines:  # the same run's JSON Lines row: the figure to trust on a shared machine
                ok += (f" [{rate / baselines['jsonl'][0]:.2f} of jsonl's articles/s, "
                       f"{per_cpu / baselines['jsonl'][1]:.2f} of its articles per CPU s]")
            if "error" in report:
                ok = "ERROR " + report["error"]
            print(f"{fmt:<10} {files:>6} {rate:>11.0f} {per_cpu:>10.0f} {ceiling:>10.0f} {peak_kb / 1024:>8.0f}  {ok} "
                  f"({label}; ratio {rate / ceiling:.2f}; {size_mb:.0f} MB of input)")
            if args.with_detect:
                elapsed, peak_kb, report = run_import(folder, tmp / f"{fmt}-detect.db", detect=True)
                rate = report.get("articles_imported", 0) / elapsed
                print(f"{fmt + '+det':<10} {files:>6} {rate:>11.0f} {'':>10} {'':>10} {peak_kb / 1024:>8.0f}  "
                      f"{report.get('quotes_detected')} quotes detected")
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
