from django.urls import URLPattern, URLResolver, path

from clinic.referrals import views

app_name = "referrals"
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "records/<int:record_pk>/subspecialties/",
        views.subspecialty_options,
        name="subspecialties",
    ),
    path("records/<int:record_pk>/hospitals/", views.hospital_options, name="hospitals"),
    path("records/<int:record_pk>/letter/", views.letter, name="letter"),
    path("sep/new/", views.sep_new, name="sep-new"),
    path("sep/<int:pk>/", views.sep_print, name="sep-print"),
]
api_urlpatterns: list[URLPattern | URLResolver] = []
