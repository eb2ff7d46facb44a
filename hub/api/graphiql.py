"""GraphiQL page with the national breakdown as its opening document."""
from __future__ import annotations

import json
import re

from strawberry.http.ides import get_graphql_ide_html

EXAMPLE_DOCUMENT = """\
# OCOP Hub: national data on "One Commune One Product" (Mỗi xã một sản phẩm).
#
# Press ▶ to run the national breakdown below: certified products by current
# province × star rating (active or expired; withdrawn products are not counted).
# Open the Docs panel for every type and field. More examples:
#   products(filter: {search: "che thai nguyen", stars: [4, 5]}, first: 20) { ... }
#   coverage { province { name } stale lastSuccessAt }

query NationalBreakdown {
  stats(groupBy: [PROVINCE, STARS]) {
    key {
      province { code name }
      stars
    }
    count
  }
}
"""

_EXAMPLE = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.DOTALL)


def graphiql_html() -> str:
    """Strawberry's GraphiQL page with our example document instead of its welcome text."""
    html = get_graphql_ide_html("graphiql")
    replacement = f"const EXAMPLE_QUERY = {json.dumps(EXAMPLE_DOCUMENT)};"
    patched, count = _EXAMPLE.subn(lambda _: replacement, html, count=1)
    if count != 1:
        raise RuntimeError("Strawberry's GraphiQL page changed: EXAMPLE_QUERY not found.")
    return patched
