"""Where the tutorial notebooks live, for the scripts that read them (run, clean, sync_zh).

The English tutorials are notebooks/*.ipynb; each translation is a folder notebooks/<lang>/ holding
twins with the same file names (their code cells are the English ones, byte for byte: sync_zh.py).
A translation folder links data -> ../data, so code cells that open data/... work from either
folder: JupyterLab (and run_notebooks.py) start each notebook's kernel in the notebook's own folder.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TRANSLATIONS = ("zh",)


def english() -> list[Path]:
    """The English tutorials, in name order."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def translated(lang: str) -> list[Path]:
    """The tutorials of one translation folder (e.g. 'zh'), in name order."""
    return sorted((NOTEBOOKS / lang).glob("*.ipynb"))


def all_tutorials() -> list[Path]:
    """English first, then each translation."""
    return english() + [p for lang in TRANSLATIONS for p in translated(lang)]


def label(path: Path) -> str:
    """A notebook's name relative to notebooks/ ('03-training-a-dcgan.ipynb', 'zh/03-...'); else its file name."""
    try:
        return path.resolve().relative_to(NOTEBOOKS.resolve()).as_posix()
    except ValueError:
        return path.name
