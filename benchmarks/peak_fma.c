/* Measures the FP32 FMA peak of this CPU: independent FMA chains per thread
 * (enough to cover latency x throughput) on the widest vectors the CPU has
 * (AVX-512: 16 lanes, 16 chains; AVX2 + FMA: 8 lanes, 12 chains, which
 * leaves registers for the operands), timed over a fixed number of
 * iterations. Build with -march=native. Usage: peak_fma THREADS. Prints
 * GFLOP/s. */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERATIONS 200000000L

#if defined(__AVX512F__)
#define LANES 16
#define CHAINS 16
typedef __m512 vec;
#define set1 _mm512_set1_ps
#define fmadd _mm512_fmadd_ps
#define add _mm512_add_ps
#define storeu _mm512_storeu_ps
#elif defined(__AVX2__) && defined(__FMA__)
#define LANES 8
#define CHAINS 12
typedef __m256 vec;
#define set1 _mm256_set1_ps
#define fmadd _mm256_fmadd_ps
#define add _mm256_add_ps
#define storeu _mm256_storeu_ps
#else
#error "peak_fma needs AVX2 with FMA or AVX-512 (build with -march=native)"
#endif

static float sink[64];

static void *run(void *arg) {
  (void)arg;
  vec acc[CHAINS];
  vec a = set1(1.0000001f), b = set1(0.9999999f);
  for (int i = 0; i < CHAINS; ++i)
    acc[i] = set1((float)i);
  for (long it = 0; it < ITERATIONS / CHAINS; ++it)
    for (int i = 0; i < CHAINS; ++i)
      acc[i] = fmadd(acc[i], a, b);
  vec total = acc[0];
  for (int i = 1; i < CHAINS; ++i)
    total = add(total, acc[i]);
  storeu(sink, total);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  pthread_t tid[64];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int t = 0; t < threads; ++t)
    pthread_create(&tid[t], NULL, run, NULL);
  for (int t = 0; t < threads; ++t)
    pthread_join(tid[t], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
  /* LANES lanes x 2 flops per FMA. */
  double flops =
      (double)threads * (ITERATIONS / CHAINS) * CHAINS * LANES * 2;
  printf("%.1f\n", flops / seconds / 1e9);
  return sink[0] == 12345.0f;
}
