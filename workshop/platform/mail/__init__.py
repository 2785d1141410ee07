"""Mail: an outbox written in the same transaction as the change that causes it, and a worker
that delivers it through ``MAIL_URL``. Nothing is ever sent while a request is running."""
