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
  mlc_use_precompiled_header(${name})
endfunction()

# mlc_add_precompiled_header()
#
# With MLC_PCH, builds cmake/Precompiled.h once, in the object library
# MLCPrecompiled, for the other targets to reuse (GCC accepts it only under
# the same compile options, which all of mlc's C++ targets share; a file it
# does not fit falls back to the headers themselves, and -Winvalid-pch says
# so).
function(mlc_add_precompiled_header)
  if(NOT MLC_PCH)
    return()
  endif()
  set(headers)
  if(MLC_SANITIZE)
    list(APPEND headers ${PROJECT_SOURCE_DIR}/cmake/SanitizerCompat.h)
  endif()
  list(APPEND headers ${PROJECT_SOURCE_DIR}/cmake/Precompiled.h)
  file(WRITE ${PROJECT_BINARY_DIR}/MLCPrecompiled.cpp
       "// The object file the precompiled header is built with.\n")
  add_library(MLCPrecompiled OBJECT ${PROJECT_BINARY_DIR}/MLCPrecompiled.cpp)
  target_link_libraries(MLCPrecompiled PUBLIC MLIR LLVM)
  target_precompile_headers(MLCPrecompiled PRIVATE
    "$<$<COMPILE_LANGUAGE:CXX>:${headers}>")
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:-Winvalid-pch>")
endfunction()

# mlc_use_precompiled_header(<target>)
#
# <target>'s C++ files start with MLCPrecompiled's header (see above).
function(mlc_use_precompiled_header target)
  if(MLC_PCH)
    target_precompile_headers(${target} REUSE_FROM MLCPrecompiled)
    # Executables compile with -fPIE, which GCC's check tells apart from
    # the header's -fPIC: -fPIC code links into an executable as well.
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      target_compile_options(${target} PRIVATE -fPIC)
    endif()
  endif()
endfunction()
