"""The app as ``make bench`` serves it: the product's app plus two benchmark-only routes.

The routes live here, never in ``workshop/``: they exist only in the process gunicorn starts
for a benchmark run, so every ratio compares the product's pages with baselines served by the
very same app, server and workers.

- ``/__bench/hello``: the cheapest Flask response, the baseline of the page figures.
- ``/__bench/render-pdf?n=N``: renders the memo PDF N times in this worker and reports the
  worker's pid and resident memory, for the memory figure.

The static-file baseline is the app's own ``/static/style.css``.
"""

import os

from flask import Flask, jsonify, request

from benchmarks.procfs import rss_kb
from workshop import create_app


def add_bench_routes(app: Flask) -> Flask:
    @app.get("/__bench/hello")
    def bench_hello():
        return "Hello, World!", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.get("/__bench/render-pdf")
    def bench_render_pdf():
        from benchmarks import pdfwork  # WeasyPrint only in the worker that is asked to render

        count = max(1, min(int(request.args.get("n", 1)), 200))
        slug = request.args.get("slug", "")
        before = rss_kb()
        renderer = pdfwork.memo_renderer(slug)
        used = "memo renderer" if renderer else "raw WeasyPrint (memo renderer not on this build)"
        render = renderer.render if renderer else pdfwork.raw_render_seed
        size = 0
        for _ in range(count):
            size = len(render())
        return jsonify(pid=os.getpid(), renders=count, rss_before_kb=before,
                       rss_after_kb=rss_kb(), pdf_bytes=size, renderer=used)

    return app


def bench_app() -> Flask:
    return add_bench_routes(create_app(instance_path=os.environ.get("BENCH_INSTANCE_PATH")))


app = bench_app()
