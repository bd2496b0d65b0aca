"""The mail stage: the generated documents to the people who need them.

`make mail` writes, for every visit that has documents, an outbox of drafts (`.eml`):
who gets what is pure data from the check result (`messages`), each message is composed
from a Jinja2 template per kind and language (`compose`), with calendar files
(`calendar`) and the visit's documents attached (`eml`), and written by `outbox`.
`make send` composes the same messages the same way and sends those not yet sent over
SMTP (`smtp`); the send log (`sendlog`, kept outside `output/`) remembers what went to
whom with a hash of the attachments, so nothing unchanged is ever sent twice.
"""

from ..errors import SaidError


class MailError(SaidError):
    """A mail setting that cannot be used, or a send log that cannot be kept: names the
    settings file or the log (None: a setting from the environment, or one not made)."""
