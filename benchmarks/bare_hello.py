"""A bare Flask hello-world, served by its own gunicorn: the limit for any dynamic route, and the
baseline the issue's peer figures use (pretalx, Indico). Nothing of the app is imported."""

from flask import Flask

app = Flask(__name__)


@app.get("/__bench/hello")
def hello():
    return "Hello, World!", 200, {"Content-Type": "text/plain; charset=utf-8"}
