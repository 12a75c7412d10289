"""The shipped form definitions: which forms and versions exist, and loading one of them.

Definitions are kept in ``<resources>/forms/<form id>/<version>.toml``. Old versions stay:
a filled form is stamped with the id and version it was filled with and is always rendered
with that version.
"""

from __future__ import annotations

from pathlib import Path

from lvvdesk.domain.resources_path import resources_dir
from lvvdesk.domain.vocabulary import ConsentModel
from lvvdesk.forms.definition import FormDefinition, FormDefinitionError, load_form_definition

__all__ = [
    "check_definitions",
    "default_forms_dir",
    "definition_bytes",
    "form_ids",
    "latest_version",
    "load_form",
    "participation_form_id",
    "versions",
]


def default_forms_dir() -> Path:
    """The folder holding the built-in form definitions (``<resources>/forms``)."""
    return resources_dir() / "forms"


def _folder(directory: Path | None) -> Path:
    return default_forms_dir() if directory is None else directory


def form_ids(directory: Path | None = None) -> tuple[str, ...]:
    """The ids of the forms in ``directory`` (default: the built-in ones), sorted."""
    folder = _folder(directory)
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.toml"))))


def versions(form_id: str, directory: Path | None = None) -> tuple[int, ...]:
    """The versions of form ``form_id``, oldest first; empty if there is no such form."""
    folder = _folder(directory) / form_id
    if not folder.is_dir():
        return ()
    return tuple(sorted(int(p.stem) for p in folder.glob("*.toml") if p.stem.isdigit()))


def latest_version(form_id: str, directory: Path | None = None) -> int:
    """The newest version of form ``form_id``; ``KeyError`` naming it if there is none."""
    found = versions(form_id, directory)
    if not found:
        raise KeyError(f"no form definition {form_id!r}")
    return found[-1]


def load_form(
    form_id: str, version: int | None = None, directory: Path | None = None
) -> FormDefinition:
    """Load version ``version`` of form ``form_id`` (default: the latest).

    Raises ``KeyError`` naming the form when it has no definition, and
    ``FormDefinitionError`` when the version's file is missing or invalid.
    """
    chosen = latest_version(form_id, directory) if version is None else version
    return load_form_definition(_folder(directory) / form_id / f"{chosen}.toml")


def definition_bytes(form_id: str, version: int, directory: Path | None = None) -> bytes:
    """The file of version ``version`` of form ``form_id`` as shipped (to send it along
    with a section request, so the partner fills exactly that version)."""
    return (_folder(directory) / form_id / f"{version}.toml").read_bytes()


def check_definitions(directory: Path) -> tuple[int, list[str]]:
    """Validate every ``.toml`` file under ``directory`` (at any depth).

    Returns the number of files checked and one line per problem, each naming the file and
    the key path. A file must sit at ``<id>/<version>.toml``.
    """
    lines: list[str] = []
    paths = sorted(directory.rglob("*.toml"))
    for path in paths:
        try:
            load_form_definition(path)
        except FormDefinitionError as exc:
            lines.extend(exc.lines())
    return len(paths), lines


def participation_form_id(consent_model: ConsentModel) -> str:
    """The participation form for a site's consent model: with the LSO consent section when
    consent is given on the form, without it when consent is asked separately later."""
    if consent_model is ConsentModel.PARTICIPATION_FORM:
        return "participation"
    return "participation-separate-consent"
