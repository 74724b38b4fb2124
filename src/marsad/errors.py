"""The one error tree of marsad.

    MarsadError
    ├── ConfigError     bad options or arguments given by the user
    ├── InputError      a file, record or page that cannot be read or decoded
    │   └── FetchError  a URL that cannot be fetched (refused, failed, too large, not allowed)
    ├── ModelError      a model artefact that is missing or broken
    └── ArchiveError    the archive cannot be opened, written or queried

Third-party errors are translated at the boundary (``raise InputError(...) from exc``).
The CLI turns any of them into one clear line and a non-zero exit.
"""


class MarsadError(Exception):
    """Base of every error marsad raises on purpose."""


class ConfigError(MarsadError):
    """Options or arguments that cannot work together or are malformed."""


class InputError(MarsadError):
    """Input that cannot be read or decoded; names the file or article."""

    def __init__(self, message: str, *, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.reason = reason


class FetchError(InputError):
    """A URL that cannot be fetched or is not to be: names the URL; ``reason`` says why."""


class ModelError(MarsadError):
    """A model artefact that is missing, corrupt or of the wrong version."""


class ArchiveError(MarsadError):
    """The archive cannot be opened, written or queried."""
