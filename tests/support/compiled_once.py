"""What each test's app would compile again although an earlier test's app compiled the same:
Werkzeug's URL builders and Jinja's templates. Tests only: a server makes its app once.

Every test makes its own app, and each app compiled a Python function (through ``ast`` and
``compile``) for each of its ~180 routes, twice, and every template it rendered: together about
a quarter of a second of CPU a test, over ten minutes of a run.
- A URL builder depends only on the rule's text, its parsed parts and its defaults, and takes
  the rule it is bound to as an argument, so the same rule in two apps can share it.
- A template's bytecode is kept in memory by Jinja's own bytecode cache, which checks the
  template's source against what it compiled, so an edited template is compiled again.
"""

from jinja2 import BytecodeCache
from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_built: dict = {}


def _shared_builder(self: Rule, append_unknown: bool = True):
    defaults = self.defaults or {}
    # A default for a part of the rule is turned into text when the builder is compiled.
    constants = tuple((name, self._converters[name].to_url(defaults[name]))
                      for dynamic, name in self._trace if dynamic and name in defaults) if defaults else ()
    key = (self.rule, tuple(self._trace), append_unknown, tuple(sorted(map(str, defaults))), constants)
    try:
        return _built[key]
    except KeyError:
        built = _built[key] = _compile_builder(self, append_unknown)
        return built


class _InMemoryBytecode(BytecodeCache):
    def __init__(self):
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])  # checks the source's checksum

    def dump_bytecode(self, bucket):
        self.kept[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = _InMemoryBytecode()


def share_url_builders() -> None:
    Rule._compile_builder = _shared_builder


def share_templates(app) -> None:
    app.jinja_env.bytecode_cache = TEMPLATES
