"""Errors users see. Each message says what went wrong and what to do."""


class SourcetraceError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero; the API maps them to 4xx."""

    status = 400


class InputError(SourcetraceError):
    """The input cannot be analysed (empty, binary, undecodable, too large, not HTML...)."""

    status = 422


class InputTooLarge(InputError):
    status = 413


class UnknownExtractor(InputError, ValueError):
    """No attribution extractor of that name (a ValueError too, for callers that expect one)."""


class FetchError(SourcetraceError):
    """A URL could not be fetched, or fetching it was refused for safety."""

    status = 400


class ModelNotFound(SourcetraceError):
    status = 500


class AnalysisStopped(SourcetraceError):
    """An analysis ran out of its time budget, or its client went away (see ``sourcetrace.deadline``)."""

    status = 503
