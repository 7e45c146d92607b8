from django.urls import URLPattern, URLResolver

app_name = "antrean_ws"
urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
