# -*- Python -*-
# lit configuration of the mlc test suite.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "MLC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mlc_obj_root, "test")
# test/python holds the pytest suite, run by ctest on its own.
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "python",
                   "Inputs"]

config.substitutions.append(("%PYTHON", config.python_executable))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tools = [ToolSubst("mlc-opt", unresolved="fatal"),
         ToolSubst("mlc-run", unresolved="fatal")]
llvm_config.add_tool_substitutions(tools, [config.mlc_tools_dir])
