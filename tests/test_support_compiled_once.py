"""The suite's shared URL builders (tests/support/compiled_once.py) build every URL of the app as
Werkzeug's own builders do."""

from werkzeug.routing.rules import Rule

from tests.support import compiled_once as routes


def test_every_route_builds_the_same_url_with_shared_and_own_builders(app):
    assert Rule._compile_builder is routes._shared_builder  # the suite runs with them
    checked = 0
    for rule in app.url_map.iter_rules():
        values = {name: (7 if type(converter).__name__ == "IntegerConverter" else "a b/ç")
                  for name, converter in rule._converters.items()}
        values["extra"] = "x&y"
        own = [routes._compile_builder(rule, unknown).__get__(rule, None) for unknown in (False, True)]
        shared = [rule._build, rule._build_unknown]
        for mine, theirs in zip(own, shared):
            try:
                expected = mine(**values)
            except Exception as error:  # noqa: BLE001 - a converter refusing the sample value
                expected = type(error)
            try:
                got = theirs(**values)
            except Exception as error:  # noqa: BLE001
                got = type(error)
            assert got == expected, rule.rule
        checked += 1
    assert checked > 150


def test_templates_compiled_by_one_app_are_read_back_by_the_next(app):
    from workshop import create_app

    assert app.jinja_env.bytecode_cache is routes.TEMPLATES
    # Loaded directly: a page may come from the page cache, which renders nothing.
    loaded = ["base.html", "workshops/show.html", "auth/forgot.html"]
    for name in loaded:
        app.jinja_env.get_template(name)
    assert all(routes.TEMPLATES.kept.values())
    # The next app reads the kept bytecode back instead of compiling the template again.
    other = create_app(dict(app.config), instance_path=app.instance_path)
    routes.share_templates(other)
    compiled = []
    compile_source = other.jinja_env.compile
    other.jinja_env.compile = lambda *args, **kwargs: compiled.append(args) or compile_source(*args, **kwargs)
    for name in loaded:
        assert other.jinja_env.get_template(name).filename == app.jinja_env.get_template(name).filename
    assert compiled == []
    # A template it has never seen is compiled (and kept for the next).
    other.jinja_env.from_string("{{ 6 * 7 }}")
    assert len(compiled) == 1
