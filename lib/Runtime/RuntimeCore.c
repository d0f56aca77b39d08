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
 *    use-generic-functions), which check what malloc returns and keep
 *    freed buffers of 64 KiB or more for the next allocation of their
 *    size (see "Buffer cache" below).
 *
 * A failure outside mlc_invoke (the C interface called directly) or on a
 * thread other than the caller's (an OpenMP worker) cannot unwind to the
 * caller: it prints the message and aborts rather than continuing with a
 * broken invariant.
 *===----------------------------------------------------------------------===*/

/* Self-contained (it is compiled on its own when a library is exported);
 * include/mlc/Runtime/RuntimeCore.h declares the same API for C++. */
#include <inttypes.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdatomic.h>
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

/* Buffer cache. A model's intermediate buffers are allocated and freed on
 * every call, most of them larger than glibc's mmap threshold or at the top
 * of its heap: glibc gives their pages back to the kernel at each free and
 * the next call faults them in again, zeroed (mobilenet_v2 at batch 1 spent
 * about a third of its time in the kernel's page faults: 19 ms a call
 * against 12 ms with the pages kept). Freed buffers of kCacheMinBytes or
 * more are kept instead, up to kCacheMaxBytes in all, and handed to the
 * next allocation they fit without wasting more than an eighth of
 * themselves; what does not fit the cache goes back to libc. Every
 * buffer still comes from libc's aligned_alloc, so one handed out as a
 * result is freed with free() by whoever owns it. (ONNX Runtime's arena
 * and TVM's workspace pool do this for the same reason.) Not under
 * AddressSanitizer, which must see each free to find uses after it. */
#if defined(__SANITIZE_ADDRESS__)
#define MLC_BUFFER_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MLC_BUFFER_CACHE 0
#endif
#endif
#ifndef MLC_BUFFER_CACHE
#define MLC_BUFFER_CACHE 1
#endif

/* A model frees every intermediate by the end of a call: the cache holds
 * the whole set (mobilenet_v2 at batch 1 has about 150 buffers of 64 KiB
 * or more, 92 MB; 64 slots kept the wrong mix and the rest faulted in
 * again). A full cache gives its oldest buffers back to libc first. */
enum { kCacheMinBytes = 64 * 1024, kCacheSlots = 1024 };
static const size_t kCacheMaxBytes = (size_t)1 << 30;

typedef struct {
  void *p;
  size_t size; /* malloc_usable_size */
} CachedBuffer;

static CachedBuffer cache[kCacheSlots];
static size_t cacheCount, cachedBytes;
/* Buffers are allocated on the caller's thread and on OpenMP workers. */
static atomic_flag cacheLock = ATOMIC_FLAG_INIT;

static void lockCache(void) {
  while (atomic_flag_test_and_set_explicit(&cacheLock, memory_order_acquire))
    ;
}
static void unlockCache(void) {
  atomic_flag_clear_explicit(&cacheLock, memory_order_release);
}

/* A cached buffer of at least `size` bytes aligned to `alignment`, not
 * more than an eighth larger, or NULL. */
static void *takeCached(size_t alignment, size_t size) {
  if (!MLC_BUFFER_CACHE || size < kCacheMinBytes)
    return NULL;
  void *p = NULL;
  lockCache();
  size_t best = cacheCount;
  for (size_t i = 0; i < cacheCount; ++i) {
    CachedBuffer *c = &cache[i];
    if (c->size >= size && c->size - size <= size / 8 &&
        (uintptr_t)c->p % alignment == 0 &&
        (best == cacheCount || c->size < cache[best].size))
      best = i;
  }
  if (best != cacheCount) {
    p = cache[best].p;
    cachedBytes -= cache[best].size;
    memmove(cache + best, cache + best + 1,
            (cacheCount - best - 1) * sizeof(CachedBuffer));
    --cacheCount;
  }
  unlockCache();
  return p;
}

/* Keeps `p` for reuse if the cache has room; true if it did. */
static int keepCached(void *p) {
  if (!MLC_BUFFER_CACHE || !p)
    return 0;
  size_t size = malloc_usable_size(p);
  if (size < kCacheMinBytes)
    return 0;
  if (size > kCacheMaxBytes)
    return 0;
  /* Oldest first: evicted from the front. */
  void *evicted[kCacheSlots];
  size_t evictedCount = 0;
  lockCache();
  size_t drop = 0, dropBytes = 0;
  while (cacheCount - drop == kCacheSlots ||
         cachedBytes - dropBytes + size > kCacheMaxBytes) {
    evicted[evictedCount++] = cache[drop].p;
    dropBytes += cache[drop].size;
    ++drop;
  }
  if (drop) {
    memmove(cache, cache + drop, (cacheCount - drop) * sizeof(CachedBuffer));
    cacheCount -= drop;
    cachedBytes -= dropBytes;
  }
  cache[cacheCount].p = p;
  cache[cacheCount].size = size;
  ++cacheCount;
  cachedBytes += size;
  unlockCache();
  for (size_t i = 0; i < evictedCount; ++i)
    free(evicted[i]);
  return 1;
}

MLC_EXPORT void mlc_release_cached_buffers(void) {
  lockCache();
  for (size_t i = 0; i < cacheCount; ++i)
    free(cache[i].p);
  cacheCount = 0;
  cachedBytes = 0;
  unlockCache();
}

MLC_EXPORT int mlc_buffer_cache_enabled(void) { return MLC_BUFFER_CACHE; }

MLC_EXPORT size_t mlc_cached_buffer_bytes(void) {
  lockCache();
  size_t bytes = cachedBytes;
  unlockCache();
  return bytes;
}

MLC_EXPORT void *_mlir_memref_to_llvm_alloc(size_t size) {
  void *p = takeCached(_Alignof(max_align_t), size);
  if (!p)
    p = malloc(size);
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
  void *p = takeCached(alignment, rounded);
  if (!p)
    p = aligned_alloc(alignment, rounded);
  if (!p && rounded)
    outOfMemory(size);
  track(p);
  return p;
}

MLC_EXPORT void _mlir_memref_to_llvm_free(void *p) {
  untrack(p);
  if (!keepCached(p))
    free(p);
}
