/* Measures the FP32 FMA peak of this CPU: 16 independent AVX-512 FMA chains
 * per thread (enough to cover latency x throughput), timed over a fixed
 * number of iterations. Usage: peak_fma THREADS. Prints GFLOP/s. */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERATIONS 200000000L
#define CHAINS 16

static float sink[64];

static void *run(void *arg) {
  (void)arg;
  __m512 acc[CHAINS];
  __m512 a = _mm512_set1_ps(1.0000001f), b = _mm512_set1_ps(0.9999999f);
  for (int i = 0; i < CHAINS; ++i)
    acc[i] = _mm512_set1_ps((float)i);
  for (long it = 0; it < ITERATIONS / CHAINS; ++it)
    for (int i = 0; i < CHAINS; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 total = acc[0];
  for (int i = 1; i < CHAINS; ++i)
    total = _mm512_add_ps(total, acc[i]);
  _mm512_storeu_ps(sink, total);
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
  /* 16 lanes x 2 flops per FMA. */
  double flops = (double)threads * (ITERATIONS / CHAINS) * CHAINS * 16 * 2;
  printf("%.1f\n", flops / seconds / 1e9);
  return sink[0] == 12345.0f;
}
