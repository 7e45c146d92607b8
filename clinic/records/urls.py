from django.urls import URLPattern, URLResolver, path

from clinic.records import api, views

app_name = "records"
urlpatterns: list[URLPattern | URLResolver] = [
    path("visits/<int:visit_pk>/", views.visit_record, name="visit"),
    path("visits/<int:visit_pk>/triage/", views.triage, name="triage"),
    path("visits/<int:visit_pk>/encounter/", views.encounter, name="encounter"),
    path("<int:record_pk>/sync/", views.sync_panel, name="sync"),
    path("<int:record_pk>/items/<slug:kind>/", views.item_add, name="item-add"),
    path(
        "<int:record_pk>/items/<slug:kind>/<int:pk>/remove/",
        views.item_remove,
        name="item-remove",
    ),
    path("<int:record_pk>/addenda/", views.addendum, name="addendum"),
    path("<int:record_pk>/jobs/<int:job_pk>/resend/", views.resend, name="resend"),
    path("<int:record_pk>/void/", views.void, name="void"),
    path("<int:record_pk>/resume/", views.resume, name="resume"),
    path("<int:record_pk>/icare/", views.icare, name="icare"),
    path("icd10/", views.icd10, name="icd10"),
    path("drugs/", views.drugs, name="drugs"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("icd10/", api.Icd10SearchView.as_view(), name="api-icd10"),
    path("records/<int:pk>/", api.RecordView.as_view(), name="api-record"),
]
