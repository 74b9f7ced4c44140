/* Fixture for package symbols: two exported tb_* functions, one static
 * function, and a call into the platform's C library. */
#include <stdlib.h>
#ifdef _WIN32
#define EXPORT __declspec(dllexport)
#else
#define EXPORT __attribute__((visibility("default")))
#endif
static int hidden(int x) { return x + 1; }
EXPORT int tb_alpha(int x) { return hidden(x); }
EXPORT void *tb_beta(long n) { return malloc((size_t)n); }
