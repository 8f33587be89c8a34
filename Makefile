# Activation Functions, Derived: build, test and read the book.
#   make book       build the HTML book (warnings are errors)  make serve  serve it on :8000
#   make test       the whole test suite, browser tests too    make lab    JupyterLab on book/
#   make release    the HTML book from nothing, to publish     make clean  remove the outputs
#   make notebooks  every page as .ipynb, with and without solutions, and zips
#   make pdf        the book as one PDF (needs TeX Live, see the target)
#   make lock       re-pin requirements.txt

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: book release notebooks pdf test serve lab clean lock

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
	$(BIN)/python _ext/build_book.py build . -W -n --keep-going
	@echo "Open $(CURDIR)/_build/html/index.html"

# What gets published: a build from nothing, so no stale page, asset or execution
# report (_build/html/reports/) from an earlier build is left in _build/html.
release: $(VENV)/.stamp node_modules/.stamp
	rm -rf _build
	$(BIN)/python _ext/build_book.py build . -W -n --keep-going
	test ! -e _build/html/reports

# Every page with code as a notebook, with and without solutions, and a zip of each
notebooks: $(VENV)/.stamp
	$(BIN)/python _ext/notebooks.py --out notebooks

# The book as one PDF through XeLaTeX; explorers give way to their static figures.
# Debian/Ubuntu: apt-get install --no-install-recommends latexmk texlive-xetex
#   texlive-latex-extra texlive-fonts-recommended texlive-lang-chinese fonts-noto-cjk
#   fonts-freefont-otf
# latexmk keeps the state of a failed run, so the LaTeX folder starts empty.
pdf: $(VENV)/.stamp
	rm -rf _build/latex
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "Wrote $(CURDIR)/_build/latex/activations-derived.pdf"

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
	rm -rf _build notebooks

lock: $(VENV)/.stamp
	{ head -n 1 requirements.txt; echo "-e ."; $(BIN)/pip freeze --exclude-editable; } \
	    > requirements.txt.new
	mv requirements.txt.new requirements.txt
