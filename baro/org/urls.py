from __future__ import annotations

from django.urls import path

from baro.org.views import delegations, imports, people, positions, tokens, units

app_name = "org"
urlpatterns = [
    path("", units.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/truc-thuoc/", units.unit_children, name="unit_children"),
    path("don-vi/<int:pk>/them-don-vi/", units.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/sua/", units.unit_edit, name="unit_edit"),
    path("don-vi/<int:pk>/chuyen/", units.unit_move, name="unit_move"),
    path("don-vi/<int:pk>/giai-the/", units.unit_close, name="unit_close"),
    path("don-vi/<int:pk>/hop-nhat/", units.unit_merge, name="unit_merge"),
    path("don-vi/<int:pk>/them-can-bo/", people.person_create, name="person_create"),
    path("don-vi/<int:pk>/bo-nhiem/", positions.position_appoint, name="position_appoint"),
    path("don-vi/<int:pk>/nguoi-dung-dau/", positions.head_replace, name="head_replace"),
    path("chuc-vu/<int:pk>/thoi-giu-chuc/", positions.position_end, name="position_end"),
    path("can-bo/", people.person_list, name="person_list"),
    path("can-bo/<int:pk>/", people.person_detail, name="person_detail"),
    path("can-bo/<int:pk>/sua/", people.person_edit, name="person_edit"),
    path("can-bo/<int:pk>/bo-nhiem/", people.person_appoint, name="person_appoint"),
    path("can-bo/<int:pk>/ma-truy-cap/", tokens.token_list, name="person_tokens"),
    path("ma-truy-cap/", tokens.token_list, name="token_list"),
    path("ma-truy-cap/<int:pk>/thu-hoi/", tokens.token_revoke, name="token_revoke"),
    path("uy-quyen/", delegations.delegation_list, name="delegation_list"),
    path("uy-quyen/giao/", delegations.delegation_grant, name="delegation_grant"),
    path("uy-quyen/<int:pk>/thu-hoi/", delegations.delegation_revoke, name="delegation_revoke"),
    path("nhap-tu-tep/", imports.import_units, name="import"),
]
