# Activation Functions, Derived: build, test and read the book.
#   make book    build the HTML book (warnings are errors)   make serve  serve it on :8000
#   make test    the whole test suite, browser tests too     make lab    JupyterLab on book/
#   make clean   remove _build                                make lock   re-pin requirements.txt

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: book test serve lab clean lock

# Python environment, rebuilt when the pins change
$(VENV)/.stamp: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# MathJax and the ipywidgets HTML manager, served by the book itself
node_modules/.stamp: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

book: $(VENV)/.stamp node_modules/.stamp
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Open $(CURDIR)/_build/html/index.html"

test: $(VENV)/.stamp node_modules/.stamp
	$(BIN)/python -m pytest

serve:
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory _build/html 8000

# Jupytext makes JupyterLab open the book's .md pages as notebooks (setting kept in the venv)
lab: $(VENV)/.stamp
	$(BIN)/jupytext-config --settings-file $(VENV)/share/jupyter/lab/settings/overrides.json \
	    set-default-viewer markdown
	$(BIN)/jupyter lab book/

clean:
	rm -rf _build

lock: $(VENV)/.stamp
	{ head -n 1 requirements.txt; echo "-e ."; $(BIN)/pip freeze --exclude-editable; } \
	    > requirements.txt.new
	mv requirements.txt.new requirements.txt
