"""Exceptions raised by the library. Only the CLI and the API translate them for users."""

from __future__ import annotations


class QAError(Exception):
    """Base class; ``code`` is a stable machine-readable identifier, ``status`` the HTTP status."""

    code = "error"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(QAError):
    code = "invalid_input"
    status = 422


class DocumentNotFound(QAError):
    code = "document_not_found"
    status = 404


class ReferenceNotFound(QAError):
    code = "reference_not_found"
    status = 404


class CorpusError(QAError):
    """The corpus folder or catalog cannot be read."""

    code = "corpus_error"
    status = 500


class ParseError(QAError):
    code = "parse_error"
    status = 422


class IndexMissing(QAError):
    code = "index_missing"
    status = 503


class IndexMismatch(QAError):
    """The index on disk was built with another model/dimension/format than the one configured."""

    code = "index_mismatch"
    status = 503


class ModelUnavailable(QAError):
    code = "model_unavailable"
    status = 503


class NotReady(QAError):
    code = "not_ready"
    status = 503


class IndexDamaged(QAError):
    """A file of the index is missing, cut short, altered or unreadable; ``problems`` says which."""

    code = "index_damaged"
    status = 503

    def __init__(self, message: str, problems: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class IndexLocked(QAError):
    """Another build holds the index's lock for longer than the configured wait."""

    code = "index_locked"
    status = 503


class IndexBuildFailed(QAError):
    """The build could not write the new index (disk full, no permission); the old one is intact."""

    code = "index_build_failed"
    status = 500
