"""The browser fixtures (``browser``, ``page``) for the capitation browser test."""

from tests.browser.conftest import browser, page  # noqa: F401
