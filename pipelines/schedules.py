"""Periodic harvest: every source daily at 03:00 Vietnam time, or on its own ``schedule``.

Sources on the default timing (no ``schedule``, or exactly the default cron) share one schedule,
``harvest_daily``, which requests one run per source. A source with another ``schedule`` in the
sources file gets its own Dagster schedule (``harvest_<source>``), so an office's timing can be
switched on, off or inspected in the UI without touching the others. ``release_monthly`` writes
the dated release of the public downloads on the first of each month.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from dagster import (DefaultScheduleStatus, RunRequest, ScheduleDefinition, ScheduleEvaluationContext,
                     SkipReason, schedule)

from hub.registries.sources_file import SourceSpec

if TYPE_CHECKING:  # what define_asset_job returns; not exported at dagster's top level
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

DEFAULT_CRON = "0 3 * * *"
RELEASE_CRON = "0 5 1 * *"
"""The release on the first of each month, after that night's harvests."""
TIMEZONE = "Asia/Ho_Chi_Minh"


def schedule_name(source_name: str) -> str:
    """Dagster names allow letters, digits and underscores only."""
    return "harvest_" + re.sub(r"[^A-Za-z0-9_]", "_", source_name)


def build_harvest_schedules(specs: Sequence[SourceSpec], job: UnresolvedAssetJobDefinition,
                            running: bool = False) -> list[ScheduleDefinition]:
    """``harvest_daily`` for the sources on the default timing, one more per source with its own."""
    status = DefaultScheduleStatus.RUNNING if running else DefaultScheduleStatus.STOPPED
    own = [spec for spec in specs if spec.schedule and " ".join(spec.schedule.split()) != DEFAULT_CRON]
    daily = [spec.name for spec in specs if spec not in own]
    schedules = [_harvest_schedule("harvest_daily", DEFAULT_CRON, daily, job, status)]
    schedules += [_harvest_schedule(schedule_name(spec.name), spec.schedule, [spec.name], job, status)
                  for spec in own]
    return schedules


def _harvest_schedule(name: str, cron: str, sources: list[str], job: UnresolvedAssetJobDefinition,
                      status: DefaultScheduleStatus) -> ScheduleDefinition:
    @schedule(name=name, job=job, cron_schedule=cron, execution_timezone=TIMEZONE, default_status=status,
              description=f"Harvest {', '.join(sources) or 'no source'} at '{cron}' ({TIMEZONE}).")
    def harvest_schedule(context: ScheduleEvaluationContext):  # type: ignore[no-untyped-def]
        if not sources:
            return SkipReason("no source uses this schedule")
        tick = context.scheduled_execution_time.isoformat()
        return [RunRequest(run_key=f"{source}@{tick}", partition_key=source) for source in sources]

    return harvest_schedule


def build_release_schedule(job: UnresolvedAssetJobDefinition, running: bool = False) -> ScheduleDefinition:
    """``release_monthly``: the dated release of the public downloads (hub.api.releases)."""
    return ScheduleDefinition(name="release_monthly", job=job, cron_schedule=RELEASE_CRON,
                              execution_timezone=TIMEZONE,
                              default_status=DefaultScheduleStatus.RUNNING if running else DefaultScheduleStatus.STOPPED,
                              description=f"Write the month's dated release at '{RELEASE_CRON}' ({TIMEZONE}).")
