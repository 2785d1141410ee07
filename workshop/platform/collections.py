"""Two patterns several features share: an ordered list of links kept in step with what a form
chose, and a row made once even when two requests ask for it at the same moment."""

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from workshop.platform.db import db


def sync_ordered_links(links: list, current: list, wanted: list, *, key: Callable, key_of_link: Callable,
                       make: Callable) -> bool:
    """Make ``current`` (the links of one kind inside the relationship list ``links``) exactly
    ``wanted``, in order: links kept where they are, made with ``make(target)``, removed,
    ``position`` renumbered. Returns whether anything changed."""
    ordered = sorted(current, key=lambda link: link.position)
    if [key_of_link(link) for link in ordered] == [key(target) for target in wanted]:
        return False
    existing = {key_of_link(link): link for link in current}
    for position, target in enumerate(wanted):
        link = existing.pop(key(target), None)
        if link is None:
            link = make(target)
            links.append(link)
        link.position = position
    for link in existing.values():
        links.remove(link)
    return True


def add_once(row, find_again: Callable):
    """Add ``row`` in a savepoint; if another request made the same row first (a unique
    constraint), return that one instead (``find_again()``)."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return find_again()
    return row
