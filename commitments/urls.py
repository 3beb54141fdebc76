from django.urls import path

from commitments.views import explore, public, review

app_name = "commitments"
urlpatterns = [
    path("members/", public.member_list, name="member_list"),
    path("members/<str:code>/", public.member_detail, name="member_detail"),
    path("action-items/<slug:code>/", explore.action_item, name="action_item"),
    path("commitments/<str:ogp_id>/", explore.commitment, name="commitment_detail"),
    path("search/", explore.search, name="search"),
    path("compare/", explore.compare, name="compare"),
    path("methodology/", public.methodology, name="methodology"),
    path("about/", public.about, name="about"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<int:pk>/", review.review_alignment, name="review_alignment"),
    path("review/commitment/<str:ogp_id>/add/", review.add_commitment_alignment, name="add_alignment"),
]
