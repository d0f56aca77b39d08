"""Pictures of graph functions: Graphviz DOT text (``--relax-print-graph``)
and, with Graphviz's ``dot`` installed, SVG."""

import shutil
import subprocess

__all__ = ["graph_dot", "graph_svg"]


def graph_dot(mod, function="main"):
    """The DOT text of graph function `function` of `mod`: parameters,
    constants and ops as nodes, tensor types on the edges, the dataflow
    block and each fused function's call as clusters."""
    return mod._handle.graph_dot(function)


def graph_svg(mod, function="main", path=None):
    """The graph rendered as SVG by Graphviz's ``dot`` (Debian's
    ``graphviz``), written to `path` when given; returns the SVG text."""
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("graph_svg needs Graphviz's dot (apt-get install "
                           "graphviz); graph_dot gives the DOT text")
    svg = subprocess.run([dot, "-Tsvg"], input=graph_dot(mod, function),
                         capture_output=True, text=True, check=True).stdout
    if path is not None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg)
    return svg
