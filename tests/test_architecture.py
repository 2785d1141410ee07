"""The layout holds: features in dependency order, services that never commit, GETs that never
write, workshop locks in one order, foreign keys enforced on both databases.

Read by walking the source (ast), so a new module is checked the day it is added."""

import ast
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

import workshop
from workshop.platform import transaction

PACKAGE = Path(workshop.__file__).parent
FEATURES = [name.split(".")[1] for name in workshop.FEATURES]
# Modules that assemble the app from every feature: they may import any of them.
ASSEMBLY = {"workshop", "workshop.cli", "workshop.models", "workshop.reactions", "workshop.config",
            "workshop.paths"}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"))


def owner(module: str) -> str:
    """'platform', a feature's name, 'demo', or the module itself for the assembly."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else module


def imports(tree):
    """(imported module, at module level?) for every import of ours."""
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names] \
                if node.module == "workshop" else [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("workshop.") or name == "workshop":
                yield name, id(node) in top


def test_every_feature_is_listed_and_every_package_is_platform_feature_or_demo():
    packages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert packages - set(FEATURES) == {"platform", "demo"}
    assert len(FEATURES) == len(set(FEATURES))


def test_the_platform_imports_no_feature_and_a_feature_only_those_listed_before_it():
    wrong = []
    for module, path, tree in modules():
        if module in ASSEMBLY or owner(module) == "demo":
            continue
        mine = owner(module)
        allowed = {"platform"} if mine == "platform" else {"platform", *FEATURES[: FEATURES.index(mine) + 1]}
        for name, at_top in imports(tree):
            theirs = owner(name)
            if theirs in ("config", "paths"):
                continue
            if theirs not in allowed:
                wrong.append(f"{module} imports {name}")
            elif not at_top and theirs not in (mine, "platform"):
                wrong.append(f"{module} imports {name} inside a function (to dodge a cycle?)")
    assert wrong == []


def test_the_checks_above_catch_what_they_look_for():
    later = ast.parse("from workshop.memos import service\n")
    hidden = ast.parse("def f():\n    from workshop.registration import notify\n")
    assert [(name, top) for name, top in imports(later)] == [("workshop.memos", True)]
    assert [(name, top) for name, top in imports(hidden)] == [("workshop.registration", False)]


# Modules that run outside a request and own their transaction.
MAY_COMMIT = ("workshop/platform/transaction.py", "workshop/platform/mail/worker.py", "workshop/platform/jobs.py")


def _may_commit(path: Path) -> bool:
    relative = path.relative_to(PACKAGE.parent).as_posix()
    return (relative in MAY_COMMIT or path.name in ("commands.py", "cli.py", "demo.py")
            or relative.startswith("workshop/demo/"))


def commits_in(tree) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("commit", "rollback")]


def test_services_and_views_never_commit_or_roll_back_the_request_does():
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}" for _module, path, tree in modules()
             if not _may_commit(path) for line in commits_in(tree)]
    # The two places that end a transaction early, each saying why in its docstring.
    assert sorted(found) == sorted(_documented_exceptions())


def _documented_exceptions() -> list[str]:
    """lock_workshop (SQLite: the write lock must start its transaction), the error page (a
    failed request keeps nothing) and the health check (a broken connection is reset)."""
    expected = []
    for relative, function in (("workshop/platform/errors.py", "unexpected_error"),
                               ("workshop/core/views.py", "healthz")):
        tree = ast.parse((PACKAGE.parent / relative).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == function:
                expected += [f"{relative}:{line}" for line in commits_in(node)]
    return expected


def test_a_get_request_that_writes_fails_under_test(app, db, make_workshop):
    workshop = make_workshop()

    @app.get("/__test/writes")
    def writes():
        workshop.title = "Changed by a GET"
        db.session.flush()
        return "written"

    # The error page answers (a 500 a test cannot miss) and the log names the cause.
    response = app.test_client().get("/__test/writes")
    assert response.status_code == 500
    db.session.expire_all()
    assert db.session.get(type(workshop), workshop.id).title != "Changed by a GET"
    with app.test_request_context("/__test/writes"):
        app.preprocess_request()
        workshop = db.session.get(type(workshop), workshop.id)
        workshop.title = "Changed by a GET"
        with pytest.raises(transaction.WriteOnReadRequest):
            db.session.flush()
    db.session.rollback()


def test_a_refused_request_keeps_nothing_and_a_successful_one_commits_once(app, db, make_workshop):
    workshop = make_workshop()
    workshop_id = workshop.id

    @app.post("/__test/change/<int:status>")
    def change(status):
        db.session.get(type(workshop), workshop_id).title = f"Changed, answered {status}"
        db.session.flush()
        return "done", status

    client = app.test_client()
    assert client.post("/__test/change/422").status_code == 422
    db.session.expire_all()
    assert db.session.get(type(workshop), workshop_id).title != "Changed, answered 422"
    assert client.post("/__test/change/200").status_code == 200
    db.session.remove()
    assert db.session.get(type(workshop), workshop_id).title == "Changed, answered 200"


def test_workshop_locks_are_taken_in_ascending_id_order(app, db, make_workshop):
    first, second = make_workshop(), make_workshop()
    transaction.lock_workshop(second.id)
    with pytest.raises(transaction.LockOrderError):
        transaction.lock_workshop(first.id)
    db.session.rollback()
    transaction.lock_workshop(first.id)
    transaction.lock_workshop(second.id)  # ascending: fine
    transaction.lock_workshop(first.id)  # already held: fine
    db.session.rollback()


def test_deleting_a_workshop_leaves_no_orphan_row_on_either_database(app, db, runner, make_user, make_workshop):
    """Foreign keys hold on SQLite as on PostgreSQL: the cascades and SET NULLs of the schema
    happen, and check-integrity stays green."""
    from tests.support.agenda import add_item
    from workshop.registration import service
    from workshop.workshops.models import Workshop

    organizer = make_user()
    workshop = make_workshop(organizer)
    add_item(workshop)
    service.update_settings(workshop, mode="open")
    service.register(workshop, {"name": "Ama Mensah", "email": "ama@example.org", "consent": "nobody"})
    db.session.commit()
    keep = make_workshop(organizer)
    workshop_id, keep_id = workshop.id, keep.id
    with db.engine.begin() as connection:  # as the database sees it, without the ORM's help
        connection.execute(sa.delete(Workshop.__table__).where(Workshop.__table__.c.id == workshop_id))
    db.session.expire_all()
    orphans = []
    for table in db.metadata.sorted_tables:
        if "workshop_id" in table.c:
            count = db.session.scalar(sa.select(sa.func.count()).select_from(table)
                                      .where(table.c.workshop_id == workshop_id))
            if count and not table.c.workshop_id.nullable:
                orphans.append(f"{table.name}: {count}")
            elif count:
                orphans.append(f"{table.name}: {count} still pointing at the deleted workshop")
    assert orphans == []
    assert db.session.get(Workshop, keep_id) is not None
    result = runner.invoke(args=["check-integrity"])
    assert result.exit_code == 0, result.output


def test_reactions_name_only_events_that_exist(app):
    from workshop.platform import events

    with pytest.raises(LookupError):
        events.install(app, {"workshop.renamed": [print]})
    with pytest.raises(LookupError):
        events.announce("agenda.rescheduled")
