/*===- RuntimeCore.h - What generated code calls at run time ----*- C -*-===*
 *
 * The C API of lib/Runtime/RuntimeCore.c, which the JIT links and every
 * exported library contains. See that file for the contract.
 *
 *===----------------------------------------------------------------------===*/

#ifndef MLC_RUNTIME_RUNTIMECORE_H
#define MLC_RUNTIME_RUNTIMECORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Calls the packed entry point `entry` (`_mlir__mlir_ciface_<name>`) on
/// `args`. Returns 0, or 1 when the call stopped on a violated run-time
/// requirement or a failed allocation (then mlc_last_error() says which,
/// and nothing the call allocated is left behind).
int mlc_invoke(void (*entry)(void **), void **args);

/// The message of the last failed mlc_invoke on this thread.
const char *mlc_last_error(void);

/// Called by generated code when a tir.assert fails; does not return.
void mlc_check_failed(const char *message, int64_t count, int64_t v0,
                      int64_t v1, int64_t v2, int64_t v3);

/// The allocation functions of generated code (use-generic-functions).
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *p);

/// Freed buffers of 64 KiB or more are kept for reuse (RuntimeCore.c,
/// "Buffer cache"): the bytes kept now, and a call that frees them all.
size_t mlc_cached_buffer_bytes(void);
/// 0 when the runtime was built with AddressSanitizer (nothing is kept).
int mlc_buffer_cache_enabled(void);
void mlc_release_cached_buffers(void);

#ifdef __cplusplus
} // extern "C"
#endif

#endif /* MLC_RUNTIME_RUNTIMECORE_H */
