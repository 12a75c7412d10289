"""What happens to a section request received in a partner's vault when the coordinator
withdraws it (the participant withdrew consent): the case details it carried, and the
answers drafted from them, are erased at once; the task stays listed as withdrawn and can
no longer be answered."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lvvdesk.storage.audit_repo import now_iso
from lvvdesk.storage.models import SectionTaskRow

#: Stands in for the erased case details of a withdrawn request.
ERASED: str = "{}"


def forget_withdrawn_request(session: Session, package_id: str) -> bool:
    """Erase the case details of the section request that came in package ``package_id``
    (if there is one here); True when a request was withdrawn."""
    row = session.execute(
        select(SectionTaskRow).where(SectionTaskRow.package_id == package_id)
    ).scalar()
    if row is None:
        return False
    row.case_fields = ERASED
    # Answers were pre-filled from those details (a V-number, say): they go as well.
    row.answers = ERASED
    row.case_pseudonym = "-"
    row.withdrawn_at = now_iso()
    return True
