"""examples/vn_eaf_roadmap.ipynb runs top to bottom without an error."""
import json
import os
import pathlib
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")


def test_example_notebook_runs(root, tmp_path, monkeypatch):
    path = root / "examples" / "vn_eaf_roadmap.ipynb"
    nb = nbformat.read(path, as_version=4)
    # A kernel on this very interpreter (the system "python3" kernel may be
    # another one, e.g. outside a venv). It inherits this environment
    # (PYTHONPATH -> the package under test) but picks its own inline
    # matplotlib backend.
    spec = tmp_path / "kernels" / "techroad-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "techroad test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    # The kernel runs in examples/: it must import the techroad under test.
    import techroad
    here = pathlib.Path(techroad.__file__).resolve().parent.parent
    paths = [str(here)] + [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="techroad-test", allow_errors=False,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()          # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.data]
    assert len(images) >= 6
    html = [o for o in outputs if o.output_type == "execute_result" and "text/html" in o.data]
    assert any("techroad result" in o.data["text/html"] for o in html)
    assert any("techroad scenario" in o.data["text/html"] for o in html)
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "infeasible" in text and "technologies.foamy_slag.lifetime" in text
