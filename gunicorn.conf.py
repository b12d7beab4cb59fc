"""gunicorn settings for Reader Context (the Procfile uses this file).

The app is loaded once in the master and forked (`preload_app`), so the spaCy model, the lexicon
matchers and the knowledge base's alias index are shared copy-on-write by the workers instead of
loaded once per worker. Every connection (SQLite, Redis, HTTP) is opened lazily in the worker that uses it.
"""

import os

# One BLAS thread per worker: the workers are the parallelism. Left alone, OpenBLAS gives every worker a
# thread per core, and two workers on two cores then fight over them (measured: 1.08x throughput for 2
# workers against 1). Set before the app, and so numpy, is imported by the preloading master.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

wsgi_app = "reader_context.web:create_app()"
# Loopback unless HOST says otherwise: a server is not put on the network by default. The Procfile sets HOST=0.0.0.0,
# since a PaaS routes to the port it gives in PORT from outside the container.
bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '5000'}"
# One sync worker per core: the work is CPU-bound spaCy, so more workers than cores only queue.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
# A few threads per worker so a request waiting on Wikipedia (up to the deadline) does not hold the core.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
preload_app = True
# Each worker its own listening socket (SO_REUSEPORT), so the kernel spreads connections across workers: a gthread
# worker otherwise accepts every keep-alive connection it can, and one worker ends up serving all of them.
reuse_port = True
timeout = 60  # a 100,000-character article takes a few seconds; anything near a minute is a hang
graceful_timeout = 30
keepalive = 5
max_requests = 0  # memory is flat over 10,000 requests (docs/benchmarks.md): no recycling needed
accesslog = None  # access lines would carry query strings; the app logs what is safe to log



def _no_empty_listening_line(record) -> bool:
    return not (record.msg == "Listening at: %s (%s)" and record.args and not record.args[0])


def on_starting(server):
    # With reuse_port each worker opens its own socket, so the master has none to name in its "Listening at:"
    # line; it is dropped here and said with the address once the server is ready.
    server.log.error_log.addFilter(_no_empty_listening_line)


def when_ready(server):
    limits = "off" if os.environ.get("READER_CONTEXT_RATE_LIMIT_ENABLED", "").lower() in ("0", "false", "no") else (
        "counted for the deployment in Redis" if os.environ.get("READER_CONTEXT_REDIS_URL") else "counted per worker")
    server.log.info("Listening at: http://%s (Reader Context, %d workers; rate limits %s)", bind, workers, limits)
