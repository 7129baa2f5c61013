from __future__ import annotations

from baro.work.views import collab, lists, tasks

app_name = "work"

urlpatterns = [*lists.urlpatterns, *tasks.urlpatterns, *collab.urlpatterns]
