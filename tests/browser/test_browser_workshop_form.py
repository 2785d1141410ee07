"""The new-workshop form as an organizer types into it: the web address follows the title until
they type their own, and typing a city into the time zone offers its zone."""

from tests.conftest import TEST_PASSWORD
from tests.support.browser import save_screen, sign_in


def test_the_address_follows_the_title_and_the_zone_is_found_by_city(page, organizer):
    sign_in(page, organizer.email, TEST_PASSWORD)
    page.goto("/manage/workshops/new")
    page.locator("#title").fill("Prévention des atrocités 2027")
    assert page.locator("#slug").input_value() == "prevention-des-atrocites-2027"
    page.locator("#slug").fill("my-own")
    page.locator("#title").fill("Another title")
    assert page.locator("#slug").input_value() == "my-own"
    labels = page.locator("#timezone-options option").evaluate_all("(os) => os.map((o) => o.value + ' ' + o.textContent)")
    assert any(label.startswith("Europe/Zurich ") and "Geneva" in label for label in labels)
    page.locator("#timezone").fill("Geneva")
    save_screen(page, "manage-new-workshop-typed")
