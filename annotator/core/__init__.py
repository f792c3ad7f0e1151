"""Qt-free domain library: the project file, importers, detection, entities, labels, export."""
