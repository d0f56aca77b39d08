/*===- RuntimeCore.c - What generated code calls at run time -------------===*
 *
 * Compiled into mlc's runtime library for the JIT, and into every library
 * export_library writes (its text is embedded in mlc, see CMakeLists.txt),
 * so an exported model needs no mlc in the process. Plain C99 + C11
 * thread-locals: the exported library is linked by the system C compiler.
 *
 *  - mlc_invoke calls a packed entry point (void (*)(void **)) under a
 *    guard: a violated run-time requirement (tir.assert) or a failed
 *    allocation in the generated code jumps back to it, and it returns 1
 *    with the message in mlc_last_error(). Nothing of the call's own work
 *    survives: its allocations so far are freed (they are tracked while
 *    the guard is up), and results are never handed out.
 *  - _mlir_memref_to_llvm_alloc/aligned_alloc/free: the allocation
 *    functions the generated code calls (finalize-memref-to-llvm's
 *    use-generic-functions), which check what malloc returns.
 *
 * A failure outside mlc_invoke (the C interface called directly) or on a
 * thread other than the caller's (an OpenMP worker) cannot unwind to the
 * caller: it prints the message and aborts rather than continuing with a
 * broken invariant.
 *===----------------------------------------------------------------------===*/

/* Self-contained (it is compiled on its own when a library is exported);
 * include/mlc/Runtime/RuntimeCore.h declares the same API for C++. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define MLC_EXPORT __attribute__((visibility("default")))
#else
#define MLC_EXPORT
#endif

enum { kMessageSize = 1024 };

/* Allocations made while a guard is up, so a failed call frees them: a
 * few in place (no heap traffic on the latency path of a small model), more
 * on the heap. */
enum { kInlineAllocations = 32 };
typedef struct {
  void **items;
  size_t count, capacity;
  void *inlineItems[kInlineAllocations];
} AllocationList;

typedef struct Guard {
  jmp_buf jump;
  AllocationList live;
  struct Guard *outer;
} Guard;

static _Thread_local Guard *currentGuard;
static _Thread_local char lastError[kMessageSize];

static void track(void *p) {
  Guard *g = currentGuard;
  if (!g || !p)
    return;
  AllocationList *l = &g->live;
  if (l->count == l->capacity) {
    size_t capacity = 2 * l->capacity;
    void **items = (void **)malloc(capacity * sizeof(void *));
    if (!items)
      return; /* not tracked: leaked only if this call then fails */
    memcpy(items, l->items, l->count * sizeof(void *));
    if (l->items != l->inlineItems)
      free(l->items);
    l->items = items;
    l->capacity = capacity;
  }
  l->items[l->count++] = p;
}

static void untrack(void *p) {
  Guard *g = currentGuard;
  if (!g || !p)
    return;
  AllocationList *l = &g->live;
  /* Buffers die in roughly reverse order of birth: search from the end. */
  for (size_t i = l->count; i-- > 0;)
    if (l->items[i] == p) {
      l->items[i] = l->items[--l->count];
      return;
    }
}

static void fail(void) {
  Guard *g = currentGuard;
  if (!g) {
    fprintf(stderr, "mlc: %s\n(raised outside mlc_invoke, or on a worker "
                    "thread: cannot unwind; aborting)\n",
            lastError);
    abort();
  }
  longjmp(g->jump, 1);
}

MLC_EXPORT int mlc_invoke(void (*entry)(void **), void **args) {
  Guard guard;
  guard.live.items = guard.live.inlineItems;
  guard.live.count = 0;
  guard.live.capacity = kInlineAllocations;
  guard.outer = currentGuard;
  currentGuard = &guard;
  /* volatile: read after longjmp. */
  volatile int status = 0;
  if (setjmp(guard.jump) == 0) {
    entry(args);
  } else {
    status = 1;
    for (size_t i = 0; i < guard.live.count; ++i)
      free(guard.live.items[i]);
  }
  currentGuard = guard.outer;
  if (guard.live.items != guard.live.inlineItems)
    free(guard.live.items);
  return status;
}

MLC_EXPORT const char *mlc_last_error(void) { return lastError; }

MLC_EXPORT void mlc_check_failed(const char *message, int64_t count,
                                 int64_t v0, int64_t v1, int64_t v2,
                                 int64_t v3) {
  int64_t values[4] = {v0, v1, v2, v3};
  int n = snprintf(lastError, kMessageSize, "%s", message);
  for (int64_t i = 0; i < count && i < 4 && n >= 0 && n < kMessageSize; ++i)
    n += snprintf(lastError + n, kMessageSize - n, "%s%" PRId64,
                  i ? ", " : " (got ", values[i]);
  if (count > 0 && n >= 0 && n < kMessageSize)
    snprintf(lastError + n, kMessageSize - n, ")");
  fail();
}

static void outOfMemory(size_t size) {
  snprintf(lastError, kMessageSize,
           "out of memory: cannot allocate %zu bytes for a buffer", size);
  fail();
}

MLC_EXPORT void *_mlir_memref_to_llvm_alloc(size_t size) {
  void *p = malloc(size);
  if (!p && size)
    outOfMemory(size);
  track(p);
  return p;
}

MLC_EXPORT void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment,
                                                    size_t size) {
  /* aligned_alloc wants a multiple of the alignment. */
  size_t rounded = (size + alignment - 1) / alignment * alignment;
  if (rounded < size)
    outOfMemory(size);
  void *p = aligned_alloc(alignment, rounded);
  if (!p && rounded)
    outOfMemory(size);
  track(p);
  return p;
}

MLC_EXPORT void _mlir_memref_to_llvm_free(void *p) {
  untrack(p);
  free(p);
}
