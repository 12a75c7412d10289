"""Managing the vault's users (administrators only): add someone, change a role, take
access away and give it back.

The work is done by ``services.users``; these screens list the users, say what a role
lets a person do, and ask for a confirmation that says plainly what removing access does
(the person can no longer open the vault on this computer) and what it keeps (their past
work and audit entries).
"""

from lvvdesk.ui.users.controller import UsersController, UsersDialog
from lvvdesk.ui.users.editors import AddUserDialog, RestoreAccessDialog, RoleDialog

__all__ = ["AddUserDialog", "RestoreAccessDialog", "RoleDialog", "UsersController", "UsersDialog"]
