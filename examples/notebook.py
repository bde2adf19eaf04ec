"""Execute the example notebook deterministically (used by regen-notebook.sh
and by bindings/python/tests/test_notebook.py).

    python3 examples/notebook.py write NOTEBOOK    execute it and write it back with its outputs
"""
import json
import os
import pathlib
import sys
import tempfile


def execute(path, timeout=600):
    """The notebook at @path executed in a fresh kernel on this interpreter
    (which imports the techroad on PYTHONPATH), with the notebook's folder as
    working directory; an nbformat NotebookNode."""
    import nbclient
    import nbformat
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as kdir:
        spec = pathlib.Path(kdir) / "kernels" / "techroad-notebook"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3", "language": "python"}))
        env = dict(os.environ)
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = kdir
        os.environ.pop("MPLBACKEND", None)           # the kernel's inline backend
        os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        try:
            client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="techroad-notebook",
                                             allow_errors=False, record_timing=False,
                                             resources={"metadata": {"path": str(pathlib.Path(path).parent)}})
            client.execute()
        finally:
            os.environ.clear()
            os.environ.update(env)
            if old is not None:
                os.environ["JUPYTER_PATH"] = old
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb


def text_outputs(nb):
    """Per code cell, the text a reader sees: streams and text/plain results
    (figures as their text/plain line, "<Figure size ...>")."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for o in cell.outputs:
            if o.output_type == "stream":
                parts.append(f"{o.name}: {o.text}")
            elif o.output_type in ("execute_result", "display_data"):
                parts.append(o.get("data", {}).get("text/plain", ""))
            elif o.output_type == "error":
                parts.append(f"error: {o.ename}: {o.evalue}")
        out.append("".join(parts))
    return out


def main(argv):
    if len(argv) != 3 or argv[1] != "write":
        sys.exit(__doc__)
    import nbformat
    nb = execute(argv[2])
    nbformat.write(nb, argv[2])


if __name__ == "__main__":
    main(sys.argv)
