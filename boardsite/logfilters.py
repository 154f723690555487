"""Keep patient data out of log lines.

Boardsite's own code logs opaque IDs only. Django's request logger, however, attaches
the request (whose path, query string and body may carry a name or hospital number) to
error records; handlers that format `record.request` would print it. This filter drops
the request object and replaces query strings in messages, so a log line can name the
URL path and status but nothing a user typed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

_QUERY = re.compile(r"\?[^\s\"']*")


def _redact(value):
    return _QUERY.sub("?[redacted]", value) if isinstance(value, str) else value


class RedactPatientDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = _QUERY.sub("?[redacted]", record.msg)
        args = record.args
        if isinstance(args, Mapping):
            # `logger.info("%(name)s", {"name": …})` (Celery's task lines): the args stay
            # a mapping — a tuple would make "%(name)s" fail with "format requires a
            # mapping" — with their string values redacted.
            record.args = {key: _redact(value) for key, value in args.items()}
        elif args:
            record.args = tuple(
                _redact(a) for a in (args if isinstance(args, tuple) else (args,))
            )
        return True
