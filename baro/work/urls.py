from __future__ import annotations

from baro.work.views import cascade, lists, tasks

app_name = "work"

urlpatterns = [*lists.urlpatterns, *tasks.urlpatterns, *cascade.urlpatterns]
