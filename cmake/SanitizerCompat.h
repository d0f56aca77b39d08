// Forced into every C++ file of a sanitizer build (-DMLC_SANITIZE).
//
// mlc is instrumented, Debian's LLVM and MLIR are not. LLVM's allocator
// headers poison and unpoison their slabs under ASan; inlined into mlc's
// code they poison slabs that the uninstrumented libraries then allocate
// from without unpoisoning, and ASan reports "use-after-poison" on correct
// code (the fuzzer found it: an attribute uniqued by mlc, then a location
// by the parser, in the same slab of the context's allocator). The manual
// poisoning is turned off here; ASan's own checks are not.
#ifndef MLC_CMAKE_SANITIZERCOMPAT_H
#define MLC_CMAKE_SANITIZERCOMPAT_H
#ifdef __cplusplus
#include "llvm/Support/Compiler.h"
#undef __asan_poison_memory_region
#undef __asan_unpoison_memory_region
#define __asan_poison_memory_region(p, size) ((void)(p), (void)(size))
#define __asan_unpoison_memory_region(p, size) ((void)(p), (void)(size))
#endif
#endif // MLC_CMAKE_SANITIZERCOMPAT_H
