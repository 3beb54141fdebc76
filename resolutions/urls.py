from django.urls import path

from commitments.views.dashboard import dashboard
from resolutions import views

app_name = "resolutions"
urlpatterns = [
    # The home page is the dashboard, which reads scores; the Call to Action in full has its own address.
    path("", dashboard, name="home"),
    path("call-to-action/", views.home, name="call_text"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("healthz", views.healthz, name="healthz"),
]
