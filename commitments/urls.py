from django.urls import path

from commitments.views import public, review

app_name = "commitments"
urlpatterns = [
    path("members/", public.member_list, name="member_list"),
    path("members/<str:code>/", public.member_detail, name="member_detail"),
    path("methodology/", public.methodology, name="methodology"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<int:pk>/", review.review_alignment, name="review_alignment"),
    path("review/commitment/<str:ogp_id>/add/", review.add_commitment_alignment, name="add_alignment"),
]
