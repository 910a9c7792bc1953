// Fortran LAPACK/BLAS entry points used by crmstat (reference LAPACK calling convention: every argument by
// pointer, column-major storage). Provided by Debian's liblapack-dev / libopenblas-dev (the alternatives system
// points liblapack.so and libblas.so at OpenBLAS when it is installed).
#ifndef CRMSTAT_CLAPACK_SHIM_H
#define CRMSTAT_CLAPACK_SHIM_H

// Cholesky factorisation A = U'U / LL'.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
// Inverse from a Cholesky factor.
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info);
// Solve A X = B from a Cholesky factor.
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda, double *b,
             const int *ldb, int *info);
// LU factorisation and inverse of a general matrix.
void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
void dgetri_(const int *n, double *a, const int *lda, const int *ipiv, double *work, const int *lwork, int *info);
// 1-norm of a matrix, and the reciprocal condition number of a general matrix from its LU factors.
double dlange_(const char *norm, const int *m, const int *n, const double *a, const int *lda, double *work);
void dgecon_(const char *norm, const int *n, const double *a, const int *lda, const double *anorm, double *rcond,
             double *work, int *iwork, int *info);
// Solve a general system A X = B.
void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b, const int *ldb,
            int *info);
// Symmetric eigen-decomposition.
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
            const int *lwork, int *info);
// Symmetric rank-k update C = alpha A'A + beta C (BLAS level 3).
void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k, const double *alpha, const double *a,
            const int *lda, const double *beta, double *c, const int *ldc);
// General matrix product C = alpha op(A) op(B) + beta C (BLAS level 3).
void dgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k, const double *alpha,
            const double *a, const int *lda, const double *b, const int *ldb, const double *beta, double *c,
            const int *ldc);
// Triangular matrix product B = alpha op(A) B or alpha B op(A) (BLAS level 3).
void dtrmm_(const char *side, const char *uplo, const char *transa, const char *diag, const int *m, const int *n,
            const double *alpha, const double *a, const int *lda, double *b, const int *ldb);
// Triangular solve B = alpha op(A)⁻¹ B or alpha B op(A)⁻¹ (BLAS level 3).
void dtrsm_(const char *side, const char *uplo, const char *transa, const char *diag, const int *m, const int *n,
            const double *alpha, const double *a, const int *lda, double *b, const int *ldb);

// OpenBLAS's thread controls, called directly only when its static archive is linked (Package.swift's
// OPENBLAS_LINKED_STATICALLY); with the shared libraries LinearAlgebra looks them up at run time instead.
void openblas_set_num_threads(int num_threads);
int blas_thread_shutdown_(void);

#endif
