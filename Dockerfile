FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=true python manage.py compilemessages --verbosity 0 \
    && DEBUG=true STATIC_MANIFEST=true python manage.py collectstatic --no-input --verbosity 0
EXPOSE 8000
CMD ["gunicorn", "ogp_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
