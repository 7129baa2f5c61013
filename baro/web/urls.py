from django.urls import path

from baro.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
