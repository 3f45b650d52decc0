# The chainmatch service image. Set CHAINMATCH_DATABASE_URL (postgresql+psycopg://…) at run time;
# the entrypoint migrates the database, then serves on port 8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/chainmatch

COPY pyproject.toml README.md alembic.ini ./
COPY alembic ./alembic
COPY app ./app
COPY matching ./matching
COPY graph ./graph
# Editable install keeps alembic/ beside the package, where `chainmatch init` looks for it.
RUN pip install -e . && useradd --create-home chainmatch \
    && install -d -o chainmatch -g chainmatch /home/chainmatch/snapshots
USER chainmatch

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["sh", "-c", "chainmatch init && chainmatch serve --host 0.0.0.0 --port 8000 --workers ${WORKERS:-2}"]
