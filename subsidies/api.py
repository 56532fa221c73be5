"""API endpoints of subsidies: viewsets registered on jianxi_portal.api.router."""
