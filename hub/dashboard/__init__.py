"""The ministry's and provinces' dashboard (issue 15): national and provincial OCOP figures in
Vietnamese, server-rendered from the API's own GraphQL queries, with no outside resources.
See docs/dashboard.md."""
from hub.dashboard.routes import dashboard_routes

__all__ = ["dashboard_routes"]
