"""Qt-free domain library: the project file, importers, detection, entities, labels, export."""

from annotator.core import patterncache as _patterncache

_patterncache.seed()   # compiled patterns kept from earlier runs: see patterncache
