"""API endpoints of units: viewsets registered on jianxi_portal.api.router."""
