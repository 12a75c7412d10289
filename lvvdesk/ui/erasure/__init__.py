"""Erasing cases (GDPR art. 17), legal holds, the retention review and the notices due.

The work is done by ``services.erasure`` and ``services.packages``; these screens show
what an erasure removes and whom it concerns, ask for a typed confirmation, and run the
erasure through the task runner.
"""

from lvvdesk.ui.erasure.erase_dialog import EraseDialog
from lvvdesk.ui.erasure.hold_dialog import LegalHoldDialog
from lvvdesk.ui.erasure.notices_dialog import NoticesDialog
from lvvdesk.ui.erasure.review_dialog import RetentionReviewDialog

__all__ = ["EraseDialog", "LegalHoldDialog", "NoticesDialog", "RetentionReviewDialog"]
