"""gankit JupyterLab extension: renderers for gankit tensors, image grids and loss curves.

The JavaScript lives in ``share/jupyter/labextensions/gankit-labextension`` (installed by the
wheel's shared data); this module only tells Jupyter where the prebuilt extension is.
"""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "gankit-labextension"}]
