"""Language processing: the spaCy parse and the attribution extractors that read it."""
