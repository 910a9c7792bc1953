// Written by hand: what runs before `main`, which Swift cannot express (an ELF constructor with a priority).
//
// OpenBLAS, linked into crmstat statically in release builds, starts its worker threads in its own constructor
// (`gotoblas_init`) from the thread count in the environment (by default one per processor). A survey-sized run
// wants one BLAS thread (`BLASRuntime.chooseThreads`), and stopping the workers afterwards
// (`blas_thread_shutdown_`) joined them in about 0.6 ms on the benchmark machine, a virtual machine whose idle
// processor halts. This constructor runs before every constructor without a priority (the linker sorts
// `.init_array.*` first): unless the user set a thread count, it initialises OpenBLAS itself with
// OPENBLAS_NUM_THREADS=1 (OpenBLAS's own constructor then finds it initialised and returns), so that no worker is
// started, and puts the environment back as it was — the array itself, not only its contents: setenv moves it to
// the heap, and Swift's runtime finds the program's arguments just before where the environment starts.
// `BLASRuntime.chooseThreads` raises the count again for a large file. Elsewhere (the shared libopenblas of debug
// builds, whose constructor runs before the program's) it does nothing.
#include <stdlib.h>

#include "CStartup.h"

static int userThreads = 0;
static int preset = 0;

extern char **environ;

#ifdef OPENBLAS_LINKED_STATICALLY
void gotoblas_init(void);
#endif

int crmstat_with_environment_variable(const char *name, const char *value, void (*body)(void)) {
    char **start = environ;
    if (setenv(name, value, 1) != 0) return 0;
    body();
    unsetenv(name);
    environ = start;
    return 1;
}

__attribute__((constructor(101))) static void crmstat_start_blas_on_one_thread(void) {
    if (getenv("OPENBLAS_NUM_THREADS") != NULL || getenv("GOTO_NUM_THREADS") != NULL
        || getenv("OMP_NUM_THREADS") != NULL) {
        userThreads = 1;
        return;
    }
#ifdef OPENBLAS_LINKED_STATICALLY
    preset = crmstat_with_environment_variable("OPENBLAS_NUM_THREADS", "1", gotoblas_init);
#endif
}

int crmstat_user_blas_threads(void) { return userThreads; }

int crmstat_blas_preset(void) { return preset; }
