"""The task queue (Celery over RabbitMQ): extraction workers for ingest jobs."""
