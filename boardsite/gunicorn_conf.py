"""Gunicorn settings shared by ./bin/run, the Dockerfile and docker-compose
(``gunicorn -c python:boardsite.gunicorn_conf``).

The access log names the path, never the query string: a patient search
(``/patients/?q=<name or hospital number>``) would otherwise write a name to every
log line. Gunicorn's default format also logs the Referer, which carries the query
string of the page before, and the User-Agent; both are left out. ``%(U)s`` is the
path without the query; ``%(M)s`` the duration in milliseconds.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
