"""REFI-QDA (.qdpx): the export is valid QDA-XML, our own file round-trips, other tools' files come in
as articles and a label task (or by a mapping), and bad files are refused whole with the project untouched."""

import re
import zipfile

import pytest
from lxml import etree

from annotator.core.exchange import export_exchange
from annotator.core.exchange import qdpx_import as qi
from annotator.core.exchange.qdpx import NS
from annotator.core.exchange.qdpx_import import QdpxError, import_qdpx, list_codes, parse_mapping
from annotator.core.resources import resource_path
from annotator.core.store import open_project
from tests.core.exchange.helpers import build_exchange_sample, snapshot
from tests.paths import FIXTURES, SHARED

INTERCHANGE = SHARED / "interchange"
MAXQDA = FIXTURES / "exchange" / "maxqda_style"
Q = f"{{{NS}}}"


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(resource_path("schemas", "Project-mrt2019.xsd"))))


def qde(path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("project.qde"))


def zip_folder(folder, out, texts: dict | None = None):
    """A .qdpx of a fixture folder; `texts` replaces source files (member name -> text)."""
    with zipfile.ZipFile(out, "w") as zf:
        for item in sorted(folder.rglob("*")):
            if item.is_file():
                name = item.relative_to(folder).as_posix()
                zf.writestr(name, (texts or {}).get(name, item.read_bytes()))
    return out


@pytest.fixture
def sample(tmp_project):
    ids = build_exchange_sample(tmp_project)
    return tmp_project, ids


@pytest.fixture
def exported(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "sample.qdpx"
    export_exchange(project, "qdpx", out)
    return out


# --- export ---------------------------------------------------------------------------------------


def test_export_is_valid_qda_xml(exported):
    schema().assertValid(qde(exported))


def test_export_holds_sources_users_codes(sample, exported):
    project, _ = sample
    root = qde(exported)
    sources = root.findall(f"{Q}Sources/{Q}TextSource")
    assert len(sources) == project.db["articles"].count
    with zipfile.ZipFile(exported) as zf:
        for source in sources:
            member = "sources/" + source.get("plainTextPath").removeprefix("internal://")
            text = zf.read(member).decode("utf-8")
            uid = next(v.findtext(f"{Q}TextValue") for v in source.findall(f"{Q}VariableValue")
                       if v.find(f"{Q}VariableRef").get("targetGUID") == _variable_guid(root, "uid"))
            assert project.conn.execute("SELECT text FROM articles WHERE uid = ?", [uid]).fetchone()[0] == text
    users = {u.get("name") for u in root.iter(f"{Q}User")}
    assert users == {"ann", "ben", "cleo", "News Annotator detector"}
    top = [c.get("name") for c in root.findall(f"{Q}CodeBook/{Q}Codes/{Q}Code")]
    assert top == ["stance", "topic", "stance (quote)", "Quote", "Speaker mention", "Speakers", "Quote verdict",
                   "Article status"]
    speakers = [c.get("name") for c in root.find(f"{Q}CodeBook/{Q}Codes/{Q}Code[@name='Speakers']")]
    assert {"Li Wei", "Zhang Min"} <= set(speakers)


def _variable_guid(root, name):
    return next(v.get("guid") for v in root.iter(f"{Q}Variable") if v.get("name") == name)


def _codes_by_guid(root):
    return {c.get("guid"): c.get("name") for c in root.iter(f"{Q}Code")}


def test_quote_selections_count_code_points(sample, exported):
    """The quote after an emoji starts where Python (code points) says, not UTF-16 or bytes."""
    project, _ = sample
    root = qde(exported)
    text = project.conn.execute("SELECT text FROM articles WHERE id = 5").fetchone()[0]
    source = next(s for s in root.iter(f"{Q}TextSource") if s.get("name") == "Emoji")
    codes = _codes_by_guid(root)
    quotes = [s for s in source.iter(f"{Q}PlainTextSelection")
              if any(codes[c.find(f"{Q}CodeRef").get("targetGUID")] == "direct" for c in s.iter(f"{Q}Coding"))]
    assert len(quotes) == 1
    start, end = int(quotes[0].get("startPosition")), int(quotes[0].get("endPosition"))
    assert text[start:end] == "We won at last,"
    assert start == text.index("We won")


def test_article_labels_are_codings_over_the_whole_text(sample, exported):
    project, _ = sample
    root = qde(exported)
    codes = _codes_by_guid(root)
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    source = next(s for s in root.iter(f"{Q}TextSource") if s.get("name") == "Article 1")
    length = len(project.conn.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
    whole = {users[s.get("creatingUser")]: sorted(codes[c.find(f"{Q}CodeRef").get("targetGUID")]
                                                  for c in s.iter(f"{Q}Coding"))
             for s in source.findall(f"{Q}PlainTextSelection")
             if s.get("startPosition") == "0" and s.get("endPosition") == str(length)}
    assert whole == {"ann": ["against", "economy", "labelled", "security"],
                     "ben": ["against", "economy", "labelled"]}
    notes = {n.get("name"): n.findtext(f"{Q}PlainTextContent") for n in root.iter(f"{Q}Note")}
    assert notes["ben on Article 1"] == "plain note, with comma"
    assert len(source.findall(f"{Q}NoteRef")) == 2
    links = root.findall(f"{Q}Links/{Q}Link")
    assert len(links) == 1 and links[0].get("name") == "said by"


def test_exporting_twice_gives_the_same_file(sample, tmp_path):
    project, _ = sample
    a, b = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    export_exchange(project, "qdpx", a)
    export_exchange(project, "qdpx", b)
    strip = re.compile(rb' (creationDateTime|name)="[^"]*"')
    first, second = (strip.sub(b"", zipfile.ZipFile(f).read("project.qde")) for f in (a, b))
    assert first == second


# --- our own file back ----------------------------------------------------------------------------


def test_round_trip_into_an_empty_project(sample, exported, tmp_path):
    project, _ = sample
    other = open_project(tmp_path / "other.db")
    report = import_qdpx(other, exported)
    assert report.articles_added == 5 and report.quotes == 4 and report.mentions == 2
    assert snapshot(other) == snapshot(project)
    again = tmp_path / "again.qdpx"
    export_exchange(other, "qdpx", again)
    strip = re.compile(rb' (creationDateTime|name)="[^"]*"')
    assert strip.sub(b"", zipfile.ZipFile(again).read("project.qde")) == \
        strip.sub(b"", zipfile.ZipFile(exported).read("project.qde"))
    other.close()


def test_importing_into_the_same_project_changes_nothing(sample, exported):
    project, _ = sample
    before = snapshot(project)
    report = import_qdpx(project, exported)
    assert report.articles_added == 0 and report.articles_matched == 5 and report.quotes == 0
    assert snapshot(project) == before


def test_annotator_option_puts_everything_under_one_name(sample, exported, tmp_path):
    other = open_project(tmp_path / "other.db")
    import_qdpx(other, exported, annotator="Dora")
    who = {r[0] for r in other.conn.execute("SELECT annotator FROM labels UNION SELECT annotator FROM quote_labels")}
    assert who == {"Dora"}
    assert other.conn.execute("SELECT count(*) FROM quotes WHERE origin = 'auto'").fetchone()[0] == 3
    other.close()


def test_form_comes_back_when_the_project_records_it(sample, exported, tmp_path):
    other = open_project(tmp_path / "other.db")
    if not any(r[1] == "form" for r in other.conn.execute("PRAGMA table_info(quotes)")):
        pytest.skip("quotes have no form column in this schema")
    import_qdpx(other, exported)
    assert sorted(r[0] for r in other.conn.execute("SELECT form FROM quotes")) == [
        "direct", "direct", "direct", "indirect"]
    assert other.conn.execute("SELECT count(*) FROM quotes WHERE content_start = start AND content_end = \"end\" "
                              "AND content = text").fetchone()[0] == 4
    other.close()


# --- other tools' files ---------------------------------------------------------------------------


def test_foreign_codes_become_a_label_task(tmp_project, tmp_path):
    qdpx = zip_folder(MAXQDA, tmp_path / "maxqda.qdpx")
    report = import_qdpx(tmp_project, qdpx)
    assert report.articles_added == 2
    assert report.tasks_added == ["codes (Studie Handel)"]
    options = [r[0] for r in tmp_project.conn.execute(
        "SELECT o.name FROM options o JOIN tasks t ON t.id = o.task_id WHERE t.name = 'codes (Studie Handel)' "
        "ORDER BY o.position")]
    assert options == ["Haltung", "Haltung/positiv", "Haltung/negativ", "Zitat", "Sprecher"]
    labels = sorted(tmp_project.conn.execute(
        "SELECT a.title, l.annotator, o.name FROM labels l JOIN options o ON o.id = l.option_id "
        "JOIN articles a ON a.id = l.article_id").fetchall())
    assert labels == [("Handel", "Maria", "Haltung/positiv"), ("Handel", "Maria", "Zitat"),
                      ("Handel", "Tom", "Haltung/negativ"), ("Handel", "Tom", "Sprecher")]
    assert tmp_project.conn.execute("SELECT outlet FROM articles WHERE title = 'Handel'").fetchone()[0] == "Die Zeit"
    assert {c[0]: c[2] for c in list_codes(qdpx)}["Haltung/positiv"] == 1


def test_mapping_makes_quotes_speakers_and_stance(tmp_project, tmp_path):
    from annotator.core.scheme import load_scheme

    load_scheme(tmp_project)  # the default scheme, with its article stance
    qdpx = zip_folder(MAXQDA, tmp_path / "maxqda.qdpx")
    mapping = parse_mapping(["Zitat=quote", "Sprecher=speaker", "Haltung/positiv=label:stance/in favour",
                             "negativ=label:stance/against", "Haltung=skip"])
    report = import_qdpx(tmp_project, qdpx, mapping=mapping)
    assert report.quotes == 1 and report.mentions == 1
    text = tmp_project.conn.execute("SELECT text FROM articles WHERE title = 'Handel'").fetchone()[0]
    quote = tmp_project.conn.execute('SELECT start, "end", text, origin, annotator FROM quotes').fetchone()
    assert quote == (32, 49, "Wir bleiben offen", "human", "Maria") and text[32:49] == quote[2]
    mention = tmp_project.conn.execute('SELECT text, origin, annotator FROM mentions').fetchone()
    assert mention == ("Anna Berg", "human", "Tom")
    stance = sorted(tmp_project.conn.execute(
        "SELECT l.annotator, o.name FROM labels l JOIN options o ON o.id = l.option_id "
        "JOIN tasks t ON t.id = l.task_id "
        "WHERE t.name = 'stance' AND t.level = 'article'").fetchall())
    assert stance == [("Maria", "in favour"), ("Tom", "against")]
    assert report.tasks_added == []


def test_a_foreign_link_from_quote_to_speaker_is_kept(tmp_project, tmp_path):
    link = ('</Sources>\n  <Links><Link guid="BBBBBBBB-0000-4000-8000-000000000001" name="said by" '
            'originGUID="EEEEEEEE-0000-4000-8000-000000000003" '
            'targetGUID="EEEEEEEE-0000-4000-8000-000000000004"/></Links>')
    qdpx = _with_qde(tmp_path, _maxqda_text(**{"</Sources>": link}), SOURCES, name="linked.qdpx")
    import_qdpx(tmp_project, qdpx, mapping={"Zitat": "quote", "Sprecher": "speaker"})
    row = tmp_project.conn.execute(
        'SELECT q.speaker_start, q.speaker_end, m.text FROM quotes q JOIN mentions m ON m.id = q.mention_id').fetchone()
    assert row == (58, 67, "Anna Berg")


def test_mapping_file_and_bad_mappings(tmp_path):
    file = tmp_path / "map.txt"
    file.write_text("# codes of the MAXQDA study\nZitat = quote:indirect\nSprecher = speaker\n", encoding="utf-8")
    assert parse_mapping(mapping_file=file) == {"Zitat": "quote:indirect", "Sprecher": "speaker"}
    with pytest.raises(QdpxError, match="unknown target 'quote:shouted'"):
        parse_mapping(["Zitat=quote:shouted"])
    with pytest.raises(QdpxError, match="CODE=TARGET"):
        parse_mapping(["Zitat"])


def test_mapping_an_unknown_code_names_the_codes(tmp_project, tmp_path):
    qdpx = zip_folder(MAXQDA, tmp_path / "maxqda.qdpx")
    with pytest.raises(QdpxError, match="'Quote'.*Haltung"):
        import_qdpx(tmp_project, qdpx, mapping={"Quote": "quote"})


@pytest.mark.skipif(not INTERCHANGE.is_dir(), reason="../shared/interchange is absent")
@pytest.mark.parametrize("name", ["atlasti_sample.qdpx", "nvivo_sample.qdpx"])
def test_samples_of_other_tools_import(tmp_project, name):
    report = import_qdpx(tmp_project, INTERCHANGE / name)
    assert len(report.tasks_added) == 1
    task = report.tasks_added[0]
    n_options = tmp_project.conn.execute(
        "SELECT count(*) FROM options o JOIN tasks t ON t.id = o.task_id WHERE t.name = ?", [task]).fetchone()[0]
    assert n_options == len(list_codes(INTERCHANGE / name)) > 1


@pytest.mark.skipif(not INTERCHANGE.is_dir(), reason="../shared/interchange is absent")
def test_nvivo_sources_with_text_become_articles(tmp_project, tmp_path):
    """The NVivo sample's two sources have empty plain texts (left out, said so); given texts they come in."""
    sample = INTERCHANGE / "nvivo_sample.qdpx"
    empty = import_qdpx(open_project(tmp_path / "empty.db"), sample)
    assert empty.articles_added == 0 and len(empty.left_out) == 2 and "has no text" in empty.left_out[0]
    filled = tmp_path / "filled.qdpx"
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(filled, "w") as dst:
        for i, info in enumerate(src.infolist()):
            data = src.read(info)
            if info.filename.endswith(".txt"):
                data = f"Interview {i}: we talked about programming and abstraction.".encode()
            dst.writestr(info, data)
    report = import_qdpx(tmp_project, filled)
    assert report.articles_added == 2
    assert [r[0] for r in tmp_project.conn.execute("SELECT source_path FROM articles ORDER BY id")][0].startswith(
        "filled.qdpx!")


# --- bad files ------------------------------------------------------------------------------------


def _with_qde(tmp_path, text: str | bytes, extra: dict | None = None, name="bad.qdpx"):
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", text)
        for member, data in (extra or {}).items():
            zf.writestr(member, data)
    return out


def _maxqda_text(**replace) -> str:
    text = (MAXQDA / "project.qde").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


SOURCES = {f"sources/{p.name}": p.read_bytes() for p in (MAXQDA / "sources").iterdir()}


def _refused(project, path, pattern):
    before = snapshot(project)
    with pytest.raises(QdpxError, match=pattern) as info:
        import_qdpx(project, path)
    assert str(path) in str(info.value)
    assert snapshot(project) == before
    return str(info.value)


def test_selection_outside_the_text(sample, tmp_path):
    project, _ = sample
    longer = {'startPosition="69" endPosition="85"': 'startPosition="69" endPosition="850"'}
    bad = _with_qde(tmp_path, _maxqda_text(**longer), SOURCES)
    message = _refused(project, bad,
                       r"PlainTextSelection 'Kritiker warnen.'.*line \d+.*69-850 does not fit.*85 characters")
    assert "nothing was imported" in message


def test_unknown_code_guid(sample, tmp_path):
    project, _ = sample
    bad = _with_qde(tmp_path, _maxqda_text(**{'<CodeRef targetGUID="CCCCCCCC-0000-4000-8000-000000000005"/>':
                                              '<CodeRef targetGUID="CCCCCCCC-0000-4000-8000-00000000dead"/>'}), SOURCES)
    _refused(project, bad, r"Coding .*line \d+.*CodeRef cccccccc-0000-4000-8000-00000000dead is not a code")


def test_unknown_user_guid(sample, tmp_path):
    project, _ = sample
    stranger = 'name="Port" creatingUser="AAAAAAAA-0000-4000-8000-00000000beef" plainTextPath'
    bad = _with_qde(tmp_path, _maxqda_text(**{'name="Port" plainTextPath': stranger}), SOURCES)
    _refused(project, bad,
             r"TextSource 'Port'.*creatingUser aaaaaaaa-0000-4000-8000-00000000beef is not one of the file's Users")


def test_unknown_note_and_link_targets(sample, tmp_path):
    project, _ = sample
    note = '<NoteRef targetGUID="BBBBBBBB-0000-4000-8000-000000000009"/>\n      <VariableValue>'
    bad = _with_qde(tmp_path, _maxqda_text(**{"<VariableValue>": note}), SOURCES)
    _refused(project, bad, r"NoteRef bbbbbbbb-0000-4000-8000-000000000009 in TextSource 'Handel'")
    link = ('</Sources>\n  <Links><Link guid="BBBBBBBB-0000-4000-8000-000000000001" '
            'originGUID="EEEEEEEE-0000-4000-8000-000000000003" '
            'targetGUID="EEEEEEEE-0000-4000-8000-0000000000ff"/></Links>')
    bad = _with_qde(tmp_path, _maxqda_text(**{"</Sources>": link}), SOURCES, name="link.qdpx")
    _refused(project, bad, r"Link \(line \d+\) points at eeeeeeee-0000-4000-8000-0000000000ff")


def test_zip_member_outside_the_archive(sample, tmp_path):
    project, _ = sample
    bad = _with_qde(tmp_path, _maxqda_text(), {**SOURCES, "../../evil.txt": "x"})
    _refused(project, bad, r"a path outside it \('../../evil.txt'\)")


def test_text_path_outside_the_archive(sample, tmp_path):
    project, _ = sample
    bad = _with_qde(tmp_path, _maxqda_text(**{"internal://1a2b3c4d-0000-4000-8000-000000000002.txt":
                                              "internal://../../etc/passwd"}), SOURCES)
    _refused(project, bad, r"TextSource 'Port'.*points outside the archive")


def test_malformed_xml(sample, tmp_path):
    project, _ = sample
    text = _maxqda_text()
    bad = _with_qde(tmp_path, text[: text.index("<Sources>") + 40], SOURCES)
    _refused(project, bad, r"bad.qdpx!project.qde: line \d+, column \d+: malformed XML")


def test_schema_invalid_xml(sample, tmp_path):
    project, _ = sample
    bad = _with_qde(tmp_path, _maxqda_text(**{'color="#FF0000"': 'color="red"'}), SOURCES)
    _refused(project, bad, r"not valid REFI-QDA: Element 'Code', attribute 'color'.*'red'")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_entities_are_refused(sample, tmp_path, text):
    project, _ = sample
    bad = _with_qde(tmp_path, text)
    _refused(project, bad, r"declares a DOCTYPE or entities")


def test_entities_are_not_resolved_even_past_the_check(sample, tmp_path, monkeypatch):
    """Were the DOCTYPE check gone, the parser itself still resolves nothing and reads no file."""
    project, _ = sample
    monkeypatch.setattr(qi, "_check_prolog", lambda *a: None)
    bad = _with_qde(tmp_path, EXTERNAL)
    with pytest.raises(QdpxError) as info:
        import_qdpx(project, bad)
    assert "root:" not in str(info.value)  # nothing of /etc/passwd in the message


def test_huge_xml_is_refused(sample, tmp_path, monkeypatch):
    project, _ = sample
    monkeypatch.setattr(qi, "MAX_QDE_BYTES", 1000)
    bad = _with_qde(tmp_path, _maxqda_text(), SOURCES)
    _refused(project, bad, r"project.qde is \d[\d,]* bytes, more than 1,000")


def test_zip_bomb_is_refused(sample, tmp_path):
    project, _ = sample
    bad = _with_qde(tmp_path, _maxqda_text(), {**SOURCES, "sources/big.txt": b"a" * (8 * 1024**2)})
    _refused(project, bad, r"'sources/big.txt' unpacks to 8,388,608 bytes.*zip bomb")


def test_deep_nesting_is_refused(sample, tmp_path):
    project, _ = sample
    deep = '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>' + \
        '<Code guid="CCCCCCCC-0000-4000-8000-000000000001" name="c" isCodable="true">' * 300 + "</Code>" * 300 + \
        "</Codes></CodeBook></Project>"
    bad = _with_qde(tmp_path, deep)
    _refused(project, bad, r"malformed XML|not valid REFI-QDA|Excessive depth")


def test_not_a_zip(sample, tmp_path):
    project, _ = sample
    bad = tmp_path / "plain.qdpx"
    bad.write_text("<Project/>", encoding="utf-8")
    _refused(project, bad, r"not a .qdpx file")
    empty = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _refused(project, empty, r"no project.qde in the archive")


def test_a_source_text_that_is_not_utf8(sample, tmp_path):
    project, _ = sample
    sources = dict(SOURCES)
    sources["sources/1a2b3c4d-0000-4000-8000-000000000002.txt"] = "Caf\xe9 in Z\xfcrich".encode("latin-1")
    bad = _with_qde(tmp_path, _maxqda_text(), sources)
    _refused(project, bad, r"TextSource 'Port'.*is not UTF-8")


def test_control_characters_in_names_and_notes_keep_the_file_valid(tmp_project, tmp_path):
    from annotator.core import labels
    from annotator.core.records import text_uid
    from annotator.core.store import utc_now

    text = "Plain text with a tab\there and a form feed\x0c there."
    with tmp_project.write() as db:
        db.execute("INSERT INTO articles (id, uid, title, outlet, text, imported_at) VALUES (1, ?, ?, ?, ?, ?)",
                   [text_uid(text), "Title\x01 with \x1b[31m escapes", 'Outlet "quoted" & <tagged>', text, utc_now()])
    labels.ensure_annotator(tmp_project, "ann")
    labels.set_note(tmp_project, 1, "ann", "line one\nline two\x0b\x07 <b>not markup</b> & more")
    out = tmp_path / "ctl.qdpx"
    export_exchange(tmp_project, "qdpx", out)
    root = qde(out)
    schema().assertValid(root)
    source = root.find(f"{Q}Sources/{Q}TextSource")
    assert source.get("name") == "Title with [31m escapes"
    assert root.find(f"{Q}Notes/{Q}Note/{Q}PlainTextContent").text == "line one\nline two <b>not markup</b> & more"
    with zipfile.ZipFile(out) as zf:  # the text file itself is the article's, byte for byte
        assert zf.read(f"sources/{source.get('guid')}.txt").decode("utf-8") == text
    other = open_project(tmp_path / "other.db")
    import_qdpx(other, out)
    assert other.conn.execute("SELECT text, outlet FROM articles").fetchone() == (text, 'Outlet "quoted" & <tagged>')
    other.close()


def test_a_source_given_as_plain_text_content(tmp_project, tmp_path):
    """Some tools put the text in the XML (PlainTextContent) instead of sources/."""
    text = _maxqda_text(**{'plainTextPath="internal://1a2b3c4d-0000-4000-8000-000000000002.txt"/>':
                           '><PlainTextContent>Inline text of the port story.</PlainTextContent></TextSource>'})
    qdpx = _with_qde(tmp_path, text, SOURCES, name="inline.qdpx")
    report = import_qdpx(tmp_project, qdpx)
    assert report.articles_added == 2
    assert tmp_project.conn.execute("SELECT text FROM articles WHERE title = 'Port'").fetchone()[0] == \
        "Inline text of the port story."


def test_our_file_reworked_in_another_tool(sample, exported, tmp_path):
    """A QDA tool gave the detector user a new GUID and added its own code on a quote: the quotes stay
    detected ones, and the new code becomes a label of the article."""
    with zipfile.ZipFile(exported) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(members["project.qde"])
    detector = next(u for u in root.iter(f"{Q}User") if u.get("name") == "News Annotator detector")
    old, new = detector.get("guid"), "12345678-1234-4123-8123-123456789abc"
    text = members["project.qde"].decode("utf-8").replace(old, new)
    code = ('<Code guid="99999999-0000-4000-8000-000000000001" name="Framing: economy" isCodable="true"/>'
            "</Codes>")
    text = text.replace("</Codes>", code, 1)
    first_quote = re.search(r'(<PlainTextSelection [^>]*creatingUser="' + new + r'"[^>]*>(?:<Description>[^<]*'
                            r"</Description>)?)", text)
    coding = ('<Coding guid="99999999-0000-4000-8000-000000000002" creatingUser="' + new.upper() + '">'
              '<CodeRef targetGUID="99999999-0000-4000-8000-000000000001"/></Coding>')
    text = text[:first_quote.end()] + coding + text[first_quote.end():]
    members["project.qde"] = text.encode("utf-8")
    reworked = tmp_path / "reworked.qdpx"
    with zipfile.ZipFile(reworked, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    other = open_project(tmp_path / "other.db")
    report = import_qdpx(other, reworked)
    assert report.tasks_added[-1] == "codes (project)"
    assert other.conn.execute("SELECT count(*) FROM quotes WHERE origin = 'auto'").fetchone()[0] == 3
    assert "News Annotator detector" not in {r[0] for r in other.conn.execute("SELECT name FROM annotators")}
    framed = other.conn.execute(
        "SELECT l.annotator, o.name FROM labels l JOIN options o ON o.id = l.option_id "
        "WHERE o.name = 'Framing: economy' AND l.quote_id IS NULL").fetchall()
    assert framed == [("imported", "Framing: economy")]
    other.close()


def test_sources_without_text_or_outside_the_archive_are_named_and_left_out(tmp_project, tmp_path):
    text = _maxqda_text(**{'plainTextPath="internal://1a2b3c4d-0000-4000-8000-000000000002.txt"':
                           'plainTextPath="absolute:///home/someone/port.txt"'})
    report = import_qdpx(tmp_project, _with_qde(tmp_path, text, SOURCES, name="outside.qdpx"))
    assert report.articles_added == 1
    assert report.left_out == ["TextSource Port: its text is outside the archive (absolute:///home/someone/port.txt) "
                               "and is not read"]
    text = _maxqda_text(**{' plainTextPath="internal://1a2b3c4d-0000-4000-8000-000000000002.txt"': ""})
    report = import_qdpx(open_project(tmp_path / "o.db"), _with_qde(tmp_path, text, SOURCES, name="none.qdpx"))
    assert report.articles_added == 1 and "TextSource Port (line" in report.left_out[0]
    assert "has no text" in report.left_out[0]
