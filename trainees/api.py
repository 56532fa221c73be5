"""API endpoints of trainees: viewsets registered on jianxi_portal.api.router."""
