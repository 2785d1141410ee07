"""The benchmark harness's own logic (no load is generated here): it reads wrk's report
correctly, fills in the registration form the way a visitor would, and refuses non-loopback URLs."""

import pytest

from benchmarks.browser import csrf_token, form_fields
from benchmarks.figures_burst import registration_form
from benchmarks.load import check_loopback, parse_wrk, percentile
from benchmarks.report import Row, table

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/w/x/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.87ms    1.77ms  23.45ms   84.80%
    Req/Sec   821.40    100.96   908.00     60.00%
  Latency Distribution
     50%    4.50ms
     75%    5.47ms
     90%    6.01ms
     99%    1.20s
  4107 requests in 5.01s, 12.39MB read
  Socket errors: connect 0, read 17, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    819.76
Transfer/sec:      2.47MB
"""


def test_wrk_report_is_read_with_units_and_errors():
    result = parse_wrk(WRK_OUTPUT, "http://127.0.0.1:8000/w/x/")
    assert result.requests == 4107
    assert result.seconds == pytest.approx(5.01)
    assert result.rps == pytest.approx(4107 / 5.01)
    assert result.p50_ms == pytest.approx(4.5)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.errors == 2 + 3  # timeouts and bad statuses; read errors are closed connections


def test_wrk_without_a_result_is_an_error():
    with pytest.raises(RuntimeError):
        parse_wrk("unable to connect to 127.0.0.1:9 Connection refused", "http://127.0.0.1:9/")


def test_percentile_picks_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([], 50) is None


@pytest.mark.parametrize("url", ["http://example.org/", "http://localhost:8000/", "http://10.0.0.1/"])
def test_only_127_0_0_1_is_ever_loaded(url):
    with pytest.raises(ValueError):
        check_loopback(url)


FORM = """
<form method="post" action="/search"><input name="q"></form>
<form method="post" action="/w/x/register" novalidate>
  <input id="csrf_token" name="csrf_token" type="hidden" value="tok123">
  <input name="name" type="text" required>
  <input name="email" type="email" required>
  <input name="organization" type="text">
  <select name="country"><option value="">Choose</option><option value="AF">Afghanistan</option></select>
  <input name="consent" type="radio" value="nobody"><input name="consent" type="radio" value="public">
  <input name="privacy" type="checkbox" value="y" required>
  <input name="arrival_date" type="date">
  <input name="submit" type="submit" value="Register">
</form>
"""


def test_the_registration_form_is_filled_like_a_visitor_would():
    fields = form_fields(FORM, action="/register")
    assert csrf_token(FORM) == "tok123"
    form = registration_form(fields, 7)
    assert form == {
        "csrf_token": "tok123", "name": "Burst Participant 7", "email": "burst7@bench.example",
        "organization": "", "country": "AF", "consent": "nobody", "privacy": ["y"],
        "arrival_date": "",
    }


def test_a_skipped_figure_says_why_in_the_table():
    text = table([Row(figure="2. agenda page", target=">= 35% of hello",
                      skipped="route not on this build yet"),
                  Row(figure="1. memo PDF", measured="0.5 s", ratio=0.9, target="<= 1.15x", met=True)])
    assert text.index("1. memo PDF") < text.index("2. agenda page")
    assert "not measured: route not on this build yet" in text
    assert "| 0.90 |" in text
