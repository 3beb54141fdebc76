from django.urls import path

from commitments.views import evidence, explore, public, review

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
    path("review/bulk/", review.bulk_decide, name="bulk_decide"),
    path("review/<int:pk>/", review.review_alignment, name="review_alignment"),
    path("review/<int:pk>/flag/", review.flag_alignment, name="flag_alignment"),
    path("review/commitment/<str:ogp_id>/add/", review.add_commitment_alignment, name="add_alignment"),
    path("review/evidence/", evidence.evidence_list, name="evidence_list"),
    path("review/evidence/<int:pk>/", evidence.review_evidence, name="review_evidence"),
]
