from django.urls import path

from commitments import views

app_name = "commitments"
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/<str:code>/", views.member_detail, name="member_detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_alignment, name="review_alignment"),
    path("review/commitment/<str:ogp_id>/add/", views.add_commitment_alignment, name="add_alignment"),
]
