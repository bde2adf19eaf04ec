"""examples/vn_eaf_roadmap.ipynb is committed executed (a reader on a
code-hosting page sees its tables and figures): it runs top to bottom
without an error, and what it shows as text is what the committed copy
shows. When a change alters an output, examples/regen-notebook.sh rewrites
it (a "regen:" commit)."""
import importlib.util
import os
import pathlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")


def _helper(root):
    spec = importlib.util.spec_from_file_location("tr_notebook", root / "examples" / "notebook.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_example_notebook_runs_and_matches_its_committed_outputs(root, monkeypatch):
    path = root / "examples" / "vn_eaf_roadmap.ipynb"
    helper = _helper(root)
    committed = nbformat.read(path, as_version=4)
    # The kernel runs in examples/: it must import the techroad under test.
    import techroad
    here = pathlib.Path(techroad.__file__).resolve().parent.parent
    paths = [str(here)] + [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    nb = helper.execute(path)        # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.data]
    assert len(images) >= 6
    html = [o for o in outputs if o.output_type == "execute_result" and "text/html" in o.data]
    assert any("techroad result" in o.data["text/html"] for o in html)
    assert any("techroad scenario" in o.data["text/html"] for o in html)
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "infeasible" in text and "technologies.foamy_slag.lifetime" in text
    # committed executed, with the same text a reader sees
    shown = helper.text_outputs(committed)
    assert sum(1 for t in shown if t) >= 25, "the committed notebook has no outputs: run examples/regen-notebook.sh"
    again = helper.text_outputs(nb)
    assert len(again) == len(shown)
    for i, (a, b) in enumerate(zip(again, shown)):
        assert a == b, f"code cell {i + 1} shows other text than the committed notebook: run examples/regen-notebook.sh"
    committed_images = [o for c in committed.cells if c.cell_type == "code" for o in c.outputs
                        if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})]
    assert len(committed_images) == len(images)
