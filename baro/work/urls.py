from __future__ import annotations

from baro.work.views import assign, collab, commands, directives, lists, tasks

app_name = "work"

urlpatterns = [
    *lists.urlpatterns,
    *directives.urlpatterns,
    *assign.urlpatterns,
    *tasks.urlpatterns,
    *commands.urlpatterns,
    *collab.urlpatterns,
]
