"""The one error every reader raises, in a module of its own so that readers need not import the
package (whose ``__init__`` imports the readers)."""
from __future__ import annotations


class RegistryError(Exception):
    """A whole registry cannot be read (unreachable, undecodable, no header row, not an xlsx…).

    Raised per source, so the harvest fails only that source; the message names the file or URL.
    """
