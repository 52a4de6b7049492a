# The portal's image: one image for every portal service of compose.yaml (web, worker, migrate).
# Production dependencies only, static files collected at build, runs as a non-root user.
# See docs/deployment.md.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv

# WeasyPrint prints with Pango and HarfBuzz (font subsetting); every PDF uses the Noto CJK fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv

WORKDIR /app
# The locked dependencies first (a layer that changes only with uv.lock), without the dev group.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python3.12
COPY . .
RUN uv sync --frozen --no-dev --python /usr/local/bin/python3.12

ENV PATH=/app/.venv/bin:$PATH \
    DJANGO_DEBUG=false \
    DJANGO_STATIC_MANIFEST=true \
    DJANGO_STATIC_ROOT=/app/var/static \
    DJANGO_MEDIA_ROOT=/app/var/media \
    DJANGO_PRIVATE_MEDIA_ROOT=/app/var/private \
    DJANGO_TASKS_BACKEND=database

# Hashed, compressed static files for WhiteNoise. The values given here exist for this step only.
RUN DJANGO_SECRET_KEY=collectstatic-only \
    DATABASE_URL=postgres://build@localhost/build \
    PORTAL_BASE_URL=https://build.invalid \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --no-create-home --home-dir /app portal \
    && mkdir -p /app/var/media /app/var/private \
    && chown -R portal:portal /app/var/media /app/var/private
USER portal

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': 'localhost', 'X-Forwarded-Proto': 'https'}), timeout=8)"
CMD ["gunicorn", "portal.wsgi", "--config", "deploy/gunicorn.conf.py"]
