"""The example portal (``examples/portal/``): a static page that shows portal teams how a browser
front end calls this API through the generated TypeScript client. Served in development only."""

from .files import PORTAL_BUILD, PORTAL_PATH, PortalFiles, install_example_portal

__all__ = ["PORTAL_BUILD", "PORTAL_PATH", "PortalFiles", "install_example_portal"]
