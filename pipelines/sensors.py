"""Harvest files dropped into an inbox folder; evaluate the national aggregates' automation condition.

Inbox (``HUB_INBOX``, default ``./inbox``): a file named ``<source>__<anything>.<ext>`` (or
``<source>.<ext>``) is harvested as that source's registry, read as the kind its suffix says
(.csv, .xlsx, .json, .html, .pdf, .docx) or else as the source's own kind. The sensor moves the file to
``inbox/processed/`` before requesting the run, and the run's config carries the moved path, so a
file is harvested once; the run key (source + content hash) stops a re-dropped identical file too.
A file whose name matches no source stays where it is, and the tick says so.
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from dagster import (AssetSelection, AutomationConditionSensorDefinition, DefaultSensorStatus, RunConfig,
                     RunRequest, SensorDefinition, SensorEvaluationContext, SensorResult, SkipReason, sensor)

from hub.registries.sources_file import SourceSpec
from pipelines.assets.raw_registry_rows import RawRowsConfig

if TYPE_CHECKING:  # what define_asset_job returns; not exported at dagster's top level
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

DEFAULT_INBOX = Path("inbox")
SETTLE_SECONDS = 5.0
"""A file modified more recently than this may still be being copied: wait for the next tick."""
SEPARATORS = ("__", ".", "_", "-")
AUTOMATION_INTERVAL_SECONDS = 15
"""How often the daemon evaluates the aggregates' condition: a recount starts at most this long after a harvest."""


def inbox_folder() -> Path:
    return Path(os.environ.get("HUB_INBOX") or DEFAULT_INBOX)


def match_source(file_name: str, source_names: Sequence[str]) -> str | None:
    """The longest source name that starts ``file_name`` and is followed by a separator or the end."""
    for name in sorted(source_names, key=len, reverse=True):
        rest = file_name[len(name):]
        if file_name.startswith(name) and (not rest or rest.startswith(SEPARATORS)):
            return name
    return None


def build_inbox_sensor(specs: Sequence[SourceSpec], job: UnresolvedAssetJobDefinition) -> SensorDefinition:
    names = [spec.name for spec in specs]

    @sensor(job=job, minimum_interval_seconds=30, default_status=DefaultSensorStatus.RUNNING)
    def inbox_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
        """Harvest each registry file dropped into the inbox as its source's partition."""
        inbox = inbox_folder().resolve()
        if not inbox.is_dir():
            return SkipReason(f"inbox {inbox} does not exist (set HUB_INBOX or create it)")
        requests, unmatched = [], []
        for path in sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")):
            source = match_source(path.name, names)
            if source is None:
                unmatched.append(path.name)
                continue
            if time.time() - path.stat().st_mtime < SETTLE_SECONDS:
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            moved = _move_to_processed(path, inbox / "processed")
            context.log.info(f"{path.name}: harvesting as source {source} from {moved}")
            requests.append(RunRequest(
                run_key=f"{source}:{digest}", partition_key=source,
                run_config=RunConfig(ops={"raw_registry_rows": RawRowsConfig(location=str(moved))}),
                tags={"ocop/inbox_file": str(moved)},
            ))
        if not requests:
            why = f"; not matching any source: {', '.join(unmatched)}" if unmatched else ""
            return SkipReason(f"no new file in {inbox}{why}")
        return SensorResult(run_requests=requests)

    return inbox_sensor


def _move_to_processed(path: Path, processed: Path) -> Path:
    """Move without overwriting an earlier file of the same name."""
    processed.mkdir(exist_ok=True)
    target = processed / path.name
    if target.exists():
        target = processed / f"{time.strftime('%Y%m%dT%H%M%S')}_{path.name}"
    return path.replace(target)


def build_automation_sensor(assets: AssetSelection) -> AutomationConditionSensorDefinition:
    """The sensor that evaluates the automation conditions of ``assets`` (Dagster creates a
    ``default_automation_condition_sensor`` otherwise, but STOPPED: the recount would never run
    until someone switched it on in the UI)."""
    return AutomationConditionSensorDefinition(
        "national_aggregates_automation", target=assets, default_status=DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=AUTOMATION_INTERVAL_SECONDS,
        description="Recounts national_aggregates once a source's products changed and no harvest is running.",
    )
