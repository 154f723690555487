# Boardsite application image: web (gunicorn), Celery worker and beat all run from it;
# docker-compose.yml says which. Python 3.11 and Debian 12 like the project's machines.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BOARDSITE_ENV=production

WORKDIR /app

# One pinned requirements file for run, tests and production (it also carries the test
# tools; the image pays a little size for a single source of truth).
# WeasyPrint (letters and minutes as PDF) draws text with Pango; DejaVu is the font
# the documents' stylesheet names.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --system --create-home --home-dir /home/boardsite --uid 10001 boardsite
COPY --chown=boardsite:boardsite . .
RUN mkdir -p /app/var/static && chown -R boardsite:boardsite /app/var
# The audit chain's anchor directory (compose mounts a volume here; a new named volume
# takes this directory's owner).
RUN mkdir -p /var/lib/boardsite/audit-anchors \
    && chown boardsite:boardsite /var/lib/boardsite/audit-anchors

USER boardsite
EXPOSE 8000

# Migrations and collectstatic run when the web container starts (docker-compose.yml).
CMD ["gunicorn", "boardsite.wsgi", "--workers", "2", "--bind", "0.0.0.0:8000", \
     "--config", "python:boardsite.gunicorn_conf"]
