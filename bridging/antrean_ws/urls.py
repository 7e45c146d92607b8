"""Mounted at ``/ws/antreanfktp/``: the clinic admin's pages (under ``_klinik/``, a prefix BPJS
never uses) and, for every other path, the web service itself."""

from django.urls import URLPattern, URLResolver, path, re_path

from bridging.antrean_ws import pages, views

app_name = "antrean_ws"
urlpatterns: list[URLPattern | URLResolver] = [
    path("_klinik/pengaturan/", pages.settings_page, name="settings"),
    path("_klinik/monitor/", pages.monitor_page, name="monitor"),
    # A trivial JSON answer (no database): the baseline of benchmarks/antrean_ws_load.py.
    path("_klinik/ping", views.ping, name="ping"),
    re_path(r"^(?P<path>.*)$", views.endpoint, name="endpoint"),
]
api_urlpatterns: list[URLPattern | URLResolver] = []
