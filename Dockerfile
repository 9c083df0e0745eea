# One image for every app service (migrate, web, worker, beat): see docker-compose.yml.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    QUOTEWISE_DATA_DIR=/data STATIC_ROOT=/app/staticfiles
WORKDIR /app
# Exactly the locked versions, each checked against its hash (`make lock` refreshes the lock).
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY . .
# Static files are collected once, here, not at every start. Settings need a
# secret key to load; this one exists only for this command.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --create-home quotewise && mkdir -p /data && chown -R quotewise /data
USER quotewise
EXPOSE 8000
CMD ["gunicorn", "newsapp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
