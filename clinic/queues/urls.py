from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import DefaultRouter

from clinic.queues import api, views

app_name = "queues"
urlpatterns: list[URLPattern | URLResolver] = [
    path("visits/new/", views.visit_register, name="visit-register"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("board/", views.board, name="board"),
    path("board/poli/<int:poli_pk>/call-next/", views.call_next, name="call-next"),
    path("tickets/<int:pk>/<slug:action>/", views.ticket_action, name="ticket-action"),
    path("tv/<str:code>/", views.tv, name="tv"),
    path("tv/<str:code>/state/", views.tv_state_view, name="tv-state"),
    path("kiosk/<str:code>/", views.kiosk, name="kiosk"),
    path("kiosk/<str:code>/ticket/<str:token>/", views.kiosk_ticket, name="kiosk-ticket"),
]

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("visits", api.VisitViewSet, basename="api-visit")
router.register("queue-tickets", api.QueueTicketViewSet, basename="api-queue-ticket")

api_urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]
