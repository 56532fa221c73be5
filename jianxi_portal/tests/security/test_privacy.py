"""Item 4 (core part) — personal pages are not cached, and no log line carries an ID number or a
mobile number."""

import logging
import logging.config

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from jianxi_portal.privacy import ScrubPersonalDataFilter, no_store, scrub

ID_NUMBER = "22010219900101123X"
MOBILE = "13912345678"


@pytest.mark.parametrize(("text", "expected"), [
    (f"trainee {ID_NUMBER} placed", "trainee 220102********123X placed"),
    ("id=220102199001011234;", "id=220102********1234;"),
    (f"phone {MOBILE}, alt +86 13812345678", "phone 139****5678, alt 138****5678"),
    ("order 12345678901234567890 and 2026-11-27", "order 12345678901234567890 and 2026-11-27"),  # 20 digits: not an ID
    ("amount 1880.00, slots 12", "amount 1880.00, slots 12"),
])
def test_scrub_masks_id_and_mobile_numbers_only(text, expected):
    assert scrub(text) == expected


def _capture(logger_name):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(ScrubPersonalDataFilter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    return logger, handler, records


def test_log_filter_scrubs_messages_arguments_and_tracebacks(figures):
    logger, handler, records = _capture("jianxi.test.scrub")
    try:
        logger.warning("import row failed for %s (%s)", ID_NUMBER, MOBILE)
        logger.warning({"id_number": ID_NUMBER})
        try:
            raise ValueError(f"bad id {ID_NUMBER}")
        except ValueError:
            logger.exception("while importing %s", MOBILE)
    finally:
        logger.removeHandler(handler)
    text = "\n".join(records)
    assert ID_NUMBER not in text and MOBILE not in text
    assert text.count("220102********123X") == 3 and text.count("139****5678") == 2
    figures.add("4", f"log filter: {len(records)} records with ID and mobile numbers in message, arguments and "
                     "traceback → 0 raw values")


def test_settings_put_the_filter_on_every_handler():
    from jianxi_portal import settings as base

    handlers = base.LOGGING["handlers"]
    assert handlers and all("scrub_personal" in h.get("filters", []) for h in handlers.values())
    config = {**base.LOGGING, "root": {"handlers": [], "level": "INFO"}}
    logging.config.dictConfig({**config, "disable_existing_loggers": False})  # the configuration is valid


def test_no_store_decorator():
    @no_store
    def view(request):
        return HttpResponse("个人信息")

    response = view(RequestFactory().get("/"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_every_signed_in_response_is_no_store_including_the_api(client_for, api_for, city_cc, employer_a, figures):
    pages = {
        "/": client_for(city_cc).get("/"),
        "/annex1/": client_for(city_cc).get("/annex1/"),
        "/accounts/security/": client_for(employer_a).get("/accounts/security/"),
        "/api/v1/regions/": api_for(employer_a).get("/api/v1/regions/"),
    }
    assert all("no-store" in r["Cache-Control"] for r in pages.values()), {p: r.get("Cache-Control") for p, r in
                                                                           pages.items()}
    figures.add("4", f"Cache-Control: no-store on {len(pages)} of {len(pages)} signed-in responses (pages and API)")
