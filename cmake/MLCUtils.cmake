# Helpers shared by every mlc CMakeLists.

# mlc_add_library(<name> <sources...> [DEPENDS <targets...>] [LINK <libs...>])
#
# A static library of mlc code. Every mlc library links the MLIR and LLVM
# shared libraries (never MLIR's static archives): linking hundreds of
# archives is slow on a small machine, and mixing the two would register
# command-line options and dialects twice in one process.
function(mlc_add_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK} MLIR LLVM)
endfunction()
