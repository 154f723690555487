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

_QUERY = re.compile(r"\?[^\s\"']*")


class RedactPatientDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = _QUERY.sub("?[redacted]", record.msg)
        if record.args:
            record.args = tuple(
                _QUERY.sub("?[redacted]", a) if isinstance(a, str) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        return True
