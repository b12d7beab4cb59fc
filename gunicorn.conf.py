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
# And one spaCy pass at a time per worker, the others' turns waiting (waiting on Wikipedia takes no turn): four
# threads' passes at once in one interpreter cost 149 CPU ms a request where one at a time costs 91, for the same
# seed article under load (docs/benchmarks.md, "Two workers against one, fifth session").
os.environ.setdefault("READER_CONTEXT_NLP_CONCURRENCY", "1")

# gunicorn's asyncio worker (its own refusals in JSON: web/worker.py) reads each request whole on its event loop before
# a thread runs the app on it (web/front.py): a client that sends its request a byte a second holds a coroutine, not
# a thread, where with gthread eight such clients took every thread.
worker_class = "reader_context.web.worker.Worker"
asgi_loop = "asyncio"
# A few threads per worker run the app, so a request waiting on Wikipedia (up to the deadline) does not hold the core.
app_threads = int(os.environ.get("GUNICORN_THREADS", "4"))
wsgi_app = f"reader_context.web.front:create_front(threads={app_threads})"
# Loopback unless HOST says otherwise: a server is not put on the network by default. The Procfile sets HOST=0.0.0.0,
# since a PaaS routes to the port it gives in PORT from outside the container.
host, port = os.environ.get("HOST") or "127.0.0.1", os.environ.get("PORT") or "5000"
bind = f"{host}:{port}"
# One worker per core: the work is CPU-bound spaCy, so more workers than cores only queue.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
preload_app = True
# One listening socket, the master's, shared by the workers: connections waiting in it outlive a worker that is
# reloaded (SIGHUP) or dies, where with a socket per worker (reuse_port) they were reset with it (20 of 425 requests).
reuse_port = False
# No keep-alive: each request is a new connection, taken by whichever worker is free. A kept-alive connection stays
# with the worker that accepted it, so one worker ended up with every connection of a busy client (1.03x for 2
# workers), and a request sent on it as the worker closes it on a reload is lost. Behind a proxy (README) the
# proxy keeps its clients' connections alive.
keepalive = 0
# A worker whose event loop has not answered for a minute is restarted, and a body that stops arriving for a minute
# is dropped. (A 100,000-character article takes a few seconds to analyse.)
timeout = 60
graceful_timeout = 30
max_requests = 0  # memory is flat over 10,000 requests (docs/benchmarks.md): no recycling needed
# The request line holds /cards' ids (up to 200): gunicorn's largest line, so that our own limits come before
# gunicorn's (which also answer in JSON, web/worker.py).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# gunicorn's control socket (gunicornc) is one path per user by default, so two servers took each other's; each
# address gets its own.
control_socket = os.path.join(os.environ.get("XDG_RUNTIME_DIR") or os.path.expanduser("~/.gunicorn"),
                              f"reader-context-{host}-{port}.ctl")
accesslog = None  # access lines would carry query strings; the app logs what is safe to log


def _not_gunicorns_listening_line(record) -> bool:
    return record.msg != "Listening at: %s (%s)"


def on_starting(server):
    # gunicorn's line names the master's pid; ours, once the server is ready, says what a deployer wants to know.
    server.log.error_log.addFilter(_not_gunicorns_listening_line)


def when_ready(server):
    limits = "off" if os.environ.get("READER_CONTEXT_RATE_LIMIT_ENABLED", "").lower() in ("0", "false", "no") else (
        "counted for the deployment in Redis" if os.environ.get("READER_CONTEXT_REDIS_URL") else "counted per worker")
    server.log.info("Listening at: http://%s (Reader Context, %d workers; rate limits %s)", bind, workers, limits)
