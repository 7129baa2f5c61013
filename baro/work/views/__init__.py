"""Pages of directives and tasks. Each module holds its own urlpatterns; baro/work/urls.py joins
them under the "work" namespace."""
