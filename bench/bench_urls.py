"""URLs of the benchmark process: the portal's, and the reference plain list (plain_views.py)."""

from django.urls import path
from plain_views import plain_posts

from jianxi_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bench/plain-posts/", plain_posts), *portal_urlpatterns]
