# lvvdesk: `make run` starts the app on a demo vault, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The environment is rebuilt whenever pyproject.toml changes.
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: venv dist-tools sysdeps-test sysdeps-run run test lint typecheck contracts pytest soak bench i18n screenshots dist clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

sysdeps-test:
	@scripts/install-system-deps.sh test

sysdeps-run:
	@scripts/install-system-deps.sh run

run: venv sysdeps-run
	$(BIN)/python -m lvvdesk.devrun $(if $(VAULT),--vault "$(VAULT)")

lint: venv
	$(BIN)/ruff check lvvdesk tests benchmarks scripts

typecheck: venv
	$(BIN)/mypy

contracts: venv
	$(BIN)/lint-imports

pytest: venv sysdeps-test
	$(BIN)/python -m pytest -n 2 -q

test: lint typecheck contracts pytest

# The soak run also builds the installable app (when dist/ has none) to self-test it.
soak: venv sysdeps-test dist-tools
	LVVDESK_SOAK=1 $(BIN)/python -m pytest -q tests/reliability

bench: venv
	$(BIN)/python benchmarks/vault.py
	$(BIN)/python benchmarks/ui.py
	$(BIN)/python benchmarks/packages.py

screenshots: venv sysdeps-test
	QT_QPA_PLATFORM=offscreen LVVDESK_KDF_PROFILE=test $(BIN)/python scripts/screenshots.py --out docs/screenshots

i18n: venv
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --sort-output \
		-o resources/locale/lvvdesk.pot lvvdesk
	$(BIN)/pybabel update -i resources/locale/lvvdesk.pot -d resources/locale -D lvvdesk \
		--no-fuzzy-matching -w 100
	$(BIN)/pybabel compile -d resources/locale -D lvvdesk

dist-tools: venv
	$(BIN)/python -m pip install -q -e '.[dist]'

dist: dist-tools
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller build.spec
	QT_QPA_PLATFORM=offscreen dist/lvvdesk/lvvdesk --self-test

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist
