"""Nexis exports without an ACC-NO / DOCUMENT-ID (Nexis UK's have none): the id made from the document
itself (outlet, date, headline, the start of the body), so that overlapping batches are duplicates
even where a document's text differs further on, and different documents are never taken for one."""

from __future__ import annotations

from annotator.core.importer import import_paths
from annotator.core.ingest import nexis

LEAD = ("The harbour board agreed on Monday to close the old ferry pier for repairs that will take most "
        "of the summer, after engineers found cracks in three of its concrete piles.")
SECOND = ("Ferries will use the north quay until the work is done, the board said in a statement. Its chair "
          "said the pier had carried passengers for ninety years and would carry them for ninety more. "
          "The repairs will cost about two million pounds, most of it from the county.")


def _document(number: int, total: int, title: str, paragraphs: list[str], outlet: str = "The Coastal Times",
              date: str = "March 4, 2024 Monday", trailer: tuple[str, ...] = ()) -> str:
    body = "\n\n".join(paragraphs)
    fields = "".join(f"{line}\n\n" for line in trailer)
    return (f"                {number} of {total} DOCUMENTS\n\n\n                {outlet}\n\n"
            f"                {date}\n\n{title}\n\nBYLINE: Mira Olsen\n\nLENGTH: 60 words\n\n{body}\n\n\n"
            f"{fields}LOAD-DATE: March 5, 2024\n\nLANGUAGE: ENGLISH\n\n\n")


def _article(text: str) -> nexis.Article:
    (article,) = [a for a in nexis.parse_nexis_lines(text.splitlines(), "x.txt") if isinstance(a, nexis.Article)]
    return article


def test_the_same_document_gets_the_same_id_whatever_its_text_does_further_on():
    plain = _article(_document(1, 1, "Pier to close for repairs", [LEAD, SECOND]))
    assert plain.source_id and plain.source_id.startswith("nexis-text:")
    # wrapped otherwise, another case, a caption and a correction at the end: the same document
    rewrapped = LEAD.replace(" for repairs ", "\nfor  repairs ").replace("harbour board", "Harbour Board")
    later = _article(_document(3, 7, "PIER TO CLOSE FOR REPAIRS", [rewrapped, SECOND, "Photo: the pier at low tide.",
                                                                   "Correction: the work starts in May."]))
    assert later.text != plain.text
    assert later.source_id == plain.source_id


def test_other_documents_get_other_ids():
    first = _article(_document(1, 1, "Pier to close for repairs", [LEAD, SECOND]))
    others = [
        _document(1, 1, "Pier to close for repairs", [SECOND, LEAD]),  # the same words, another start
        _document(1, 1, "Pier to close for repairs", [LEAD.replace("three", "four"), SECOND]),
        _document(1, 1, "Pier to close for repairs", [LEAD, SECOND], date="March 5, 2024 Tuesday"),
        _document(1, 1, "Pier to close for repairs", [LEAD, SECOND], outlet="The Harbour Gazette"),
        _document(1, 1, "Pier closes for repairs", [LEAD, SECOND]),
    ]
    ids = {first.source_id} | {_article(text).source_id for text in others}
    assert None not in ids and len(ids) == 1 + len(others)


def test_no_id_is_made_from_too_little():
    short = _article(_document(1, 1, "Pier to close", ["The pier closes."]))
    assert short.source_id is None  # a few words tell no two documents apart
    undated = _article(_document(1, 1, "Pier to close for repairs", [LEAD, SECOND], date="Spring edition"))
    assert undated.published is None and undated.source_id is None


def test_the_export_s_own_id_comes_first():
    article = _article(_document(1, 1, "Pier to close for repairs", [LEAD, SECOND], trailer=("ACC-NO: CT-0042",)))
    assert article.source_id == "nexis:CT-0042"


def test_overlapping_batches_import_the_shared_document_once(tmp_project, tmp_path):
    pier = ("Pier to close for repairs", [LEAD, SECOND])
    school = ("School roof to be replaced", ["The county council will replace the roof of the harbour school "
                                             "this autumn, its education committee decided on Tuesday evening, "
                                             "after a winter in which rain came through it into two classrooms.",
                                             "Lessons will move to the sports hall for six weeks, and the pupils "
                                             "of the top year will be taught in the town library. The work will cost "
                                             "the county four hundred thousand pounds."])
    library = ("Library opens on Sundays", ["The town library will open on Sunday afternoons from April, after "
                                           "a year in which its visitors asked for it more than for anything else, "
                                           "the town's culture committee said.",
                                           "Volunteers will staff the desk, and the reading room will stay shut."])
    first = tmp_path / "batch1.txt"
    first.write_text(_document(1, 2, *pier) + _document(2, 2, *school), encoding="utf-8")
    second = tmp_path / "batch2.txt"  # the school story again, with a caption the first batch did not have
    school_again = (school[0], [*school[1], "Photo: the school's roof."])
    second.write_text(_document(1, 2, *school_again) + _document(2, 2, *library), encoding="utf-8")
    import_paths(tmp_project, [first], workers=1, detect=False)
    again = import_paths(tmp_project, [second], workers=1, detect=False)
    (row,) = again.files
    assert (row.status, row.article_count, row.duplicate_count) == ("imported", 1, 1)
    titles = [r[0] for r in tmp_project.conn.execute("SELECT title FROM articles ORDER BY id")]
    assert titles == ["Pier to close for repairs", "School roof to be replaced", "Library opens on Sundays"]
