"""API endpoints of reports: viewsets registered on jianxi_portal.api.router."""
