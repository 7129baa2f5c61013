from __future__ import annotations

from django.urls import path

from baro.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("kiem-tra/", views.verify, name="verify"),
]
