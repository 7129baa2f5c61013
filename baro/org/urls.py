from __future__ import annotations

from django.urls import path

from baro.org import views

app_name = "org"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/truc-thuoc/", views.unit_children, name="unit_children"),
    path("don-vi/<int:pk>/them-don-vi/", views.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit_edit"),
    path("don-vi/<int:pk>/chuyen/", views.unit_move, name="unit_move"),
    path("don-vi/<int:pk>/giai-the/", views.unit_close, name="unit_close"),
    path("don-vi/<int:pk>/hop-nhat/", views.unit_merge, name="unit_merge"),
    path("don-vi/<int:pk>/them-can-bo/", views.person_create, name="person_create"),
    path("don-vi/<int:pk>/bo-nhiem/", views.position_appoint, name="position_appoint"),
    path("don-vi/<int:pk>/nguoi-dung-dau/", views.head_replace, name="head_replace"),
    path("chuc-vu/<int:pk>/thoi-giu-chuc/", views.position_end, name="position_end"),
    path("can-bo/", views.person_list, name="person_list"),
    path("can-bo/<int:pk>/", views.person_detail, name="person_detail"),
    path("can-bo/<int:pk>/sua/", views.person_edit, name="person_edit"),
    path("can-bo/<int:pk>/bo-nhiem/", views.person_appoint, name="person_appoint"),
    path("can-bo/<int:pk>/ma-truy-cap/", views.token_list, name="person_tokens"),
    path("ma-truy-cap/", views.token_list, name="token_list"),
    path("ma-truy-cap/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("uy-quyen/", views.delegation_list, name="delegation_list"),
    path("uy-quyen/giao/", views.delegation_grant, name="delegation_grant"),
    path("uy-quyen/<int:pk>/thu-hoi/", views.delegation_revoke, name="delegation_revoke"),
    path("nhap-tu-tep/", views.import_units, name="import"),
]
