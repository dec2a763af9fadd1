# Harmwatch in a container: the wheel (catalogs, templates, migrations inside), run as a
# non-root user, data and media in /var/lib/harmwatch. Build: `docker build -t harmwatch .`
# At start: `harmwatch db upgrade`, then `harmwatch serve` on port 8000 (see compose.yaml).
FROM python:3.12-slim-bookworm AS wheel
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.12-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HARMWATCH_DATA_DIR=/var/lib/harmwatch \
    HARMWATCH_MEDIA_DIR=/var/lib/harmwatch/media
COPY --from=wheel /wheels/ /tmp/wheels/
RUN pip install /tmp/wheels/harmwatch-*.whl && rm -rf /tmp/wheels \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/harmwatch --create-home harmwatch \
    && chmod 0700 /var/lib/harmwatch
USER harmwatch
WORKDIR /var/lib/harmwatch
VOLUME /var/lib/harmwatch
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["sh", "-c", "harmwatch db upgrade && exec harmwatch serve --host 0.0.0.0 --port 8000"]
