"""The redaction filter keeps query strings out of log lines whatever the argument style."""

from __future__ import annotations

import logging

from boardsite.logfilters import RedactPatientDataFilter


def record(msg, args: tuple) -> logging.LogRecord:
    # As `logger.info(msg, *args)` makes it: a lone mapping argument becomes record.args.
    return logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, None)


def test_positional_args_are_redacted():
    rec = record("GET %s %s", ("/patients/?q=Smith", 200))
    assert RedactPatientDataFilter().filter(rec)
    assert rec.getMessage() == "GET /patients/?[redacted] 200"


def test_mapping_args_stay_a_mapping_with_their_strings_redacted():
    # Celery logs "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s"
    # with one dict argument; turned into a tuple it raised "format requires a mapping".
    rec = record("Task %(name)s[%(id)s] %(url)s %(runtime)s",
                 ({"name": "reminders.deliver", "id": "abc", "url": "/x/?mrn=H123",
                   "runtime": 0.01},))
    assert isinstance(rec.args, dict)
    assert RedactPatientDataFilter().filter(rec)
    assert rec.getMessage() == "Task reminders.deliver[abc] /x/?[redacted] 0.01"


def test_a_mapping_line_goes_through_a_handler_with_the_filter():
    logger = logging.getLogger("boardsite.tests.logfilters")
    logger.propagate = False
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, rec: logging.LogRecord) -> None:
            seen.append(self.format(rec))

    handler = Collect()
    handler.addFilter(RedactPatientDataFilter())
    logger.addHandler(handler)
    try:
        logger.warning("%(name)s at %(path)s", {"name": "t", "path": "/p/?name=Jones"})
    finally:
        logger.removeHandler(handler)
    assert seen == ["t at /p/?[redacted]"]


def test_a_single_non_tuple_argument_and_no_arguments():
    rec = record("value %s", ("/a?b=c",))
    RedactPatientDataFilter().filter(rec)
    assert rec.getMessage() == "value /a?[redacted]"
    rec = record("plain /a?b=c", ())
    RedactPatientDataFilter().filter(rec)
    assert rec.getMessage() == "plain /a?[redacted]"
