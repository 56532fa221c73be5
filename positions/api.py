"""API endpoints of positions: viewsets registered on jianxi_portal.api.router."""
