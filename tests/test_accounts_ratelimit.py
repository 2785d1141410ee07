"""Abuse limits on the account forms and on guessing account links."""

import pytest

from tests.conftest import login


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True,
            "RATELIMITS": {"account": "2 per minute", "account_link": "3 per minute", "login": "100 per minute"}}


def test_the_account_forms_are_limited(client, make_user):
    login(client, make_user())
    codes = [client.post("/account/name", data={"name": f"Name {n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]


def test_guessing_links_is_limited_across_every_kind_of_account_link(client):
    codes = [client.get(path).status_code for path in (
        "/password/reset/guess-1", "/team-invitations/guess-2", "/account/email/confirm/guess-3",
        "/password/reset/guess-4")]
    assert codes == [404, 404, 404, 429]
