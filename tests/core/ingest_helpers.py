"""Read a file through the same path the importer uses."""

from annotator.core.ingest import ReadOptions, read_source
from annotator.core.ingest.source import iter_sources
from annotator.core.records import Article, ImportProblem


def read_all(path, field_map=None) -> tuple[list[Article], list[ImportProblem]]:
    articles, problems = [], []
    for source in iter_sources([path]):
        if isinstance(source, ImportProblem):
            problems.append(source)
            continue
        for item in read_source(source, ReadOptions(field_map=field_map or {})):
            (problems if isinstance(item, ImportProblem) else articles).append(item)
    return articles, problems
