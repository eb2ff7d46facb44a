"""The provincial officer's submission page, /nop-du-lieu: preview a list file with the API's
dry run, apply exactly what was previewed, download the rejected rows, see and revert the
province's batches; and the list template /mau-danh-sach.xlsx. docs/push.md explains it."""
from hub.submit.routes import UPLOAD_PATHS, submit_routes

__all__ = ["UPLOAD_PATHS", "submit_routes"]
