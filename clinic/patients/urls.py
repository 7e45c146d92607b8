from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from clinic.patients import api, views

app_name = "patients"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
    path("baru/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/cek-bpjs/", views.check, name="check"),
    path("<int:pk>/keluarga/", views.family_add, name="family-add"),
]

_router = SimpleRouter()
_router.register("patients", api.PatientViewSet, basename="api-patient")
api_urlpatterns: list[URLPattern | URLResolver] = list(_router.urls)
