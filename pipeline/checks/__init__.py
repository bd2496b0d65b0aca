"""The check stage: records + standard -> findings. Importing it registers every check."""

from . import approval, bookings, people, preparation, schedule  # noqa: F401  (registers the checks)
from .engine import VISIT_CHECKS, WORKBOOK_CHECKS, CheckResult, VisitResult, check_workbook

__all__ = ["CheckResult", "VisitResult", "check_workbook", "VISIT_CHECKS", "WORKBOOK_CHECKS"]
