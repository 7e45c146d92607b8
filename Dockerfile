# The clinic's image: web (gunicorn), worker and beat run the same image with another command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CLINIC_VAR_DIR=/var/lib/klinik
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app klinik \
    && mkdir -p /var/lib/klinik && chown klinik /var/lib/klinik
WORKDIR /app
COPY pyproject.toml README.md ./
COPY clinic ./clinic
COPY bridging ./bridging
RUN pip install .
COPY --chown=klinik . .
# Static files are collected at build time; a throwaway key is enough for that step.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1idWlsZC1vbmx5LWJ1aWxkLW9ubHk= CLINIC_ENV=production \
    python manage.py collectstatic --noinput
USER klinik
EXPOSE 8000
CMD ["gunicorn", "clinic.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-"]
