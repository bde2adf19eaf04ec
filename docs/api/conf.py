"""Sphinx configuration of techroad's API reference (scripts/docs.sh builds it)."""
import os
import sys

# The package as Meson builds it (the compiled _techroad next to the .py files).
sys.path.insert(0, os.environ.get("TECHROAD_PYTHONPATH", os.path.join("..", "..", "build", "bindings", "python")))

project = "techroad"
author = "the techroad authors"
extensions = ["sphinx.ext.autodoc", "numpydoc"]
numpydoc_show_class_members = False     # autodoc's :members: lists them
numpydoc_class_members_toctree = False
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
html_theme = "alabaster"
exclude_patterns = ["_build"]
