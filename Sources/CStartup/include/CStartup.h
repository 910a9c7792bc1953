#ifndef CRMSTAT_CSTARTUP_H
#define CRMSTAT_CSTARTUP_H

/// 1 when the process started with a BLAS thread count of the user's own (OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS
/// or OMP_NUM_THREADS set), 0 otherwise.
int crmstat_user_blas_threads(void);

/// 1 when crmstat's start-up initialised OpenBLAS on one thread (no worker started; startup.c), 0 otherwise.
int crmstat_blas_preset(void);

/// Runs `body` with the environment variable `name` set to `value`, then leaves the environment as it was: the
/// variable removed and `environ` the array it was before (setenv moves it to the heap; Swift's runtime finds the
/// program's arguments just before where the environment starts). 0 when the variable could not be set (`body` not
/// run), 1 otherwise. For a variable not set before.
int crmstat_with_environment_variable(const char *name, const char *value, void (*body)(void));

#endif
