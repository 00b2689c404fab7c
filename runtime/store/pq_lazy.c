/* libpq linked lazily (author/util/lazylib.h): only a store on PostgreSQL uses it, and with it
 * come OpenSSL, Kerberos, LDAP and SASL, some twenty objects every command would otherwise map
 * and relocate at start-up (4 ms of a 60 ms validation). One stub per function the PostgreSQL
 * store calls. Compiled only when cmake/LazyLibrary.cmake links the library this way
 * (POSTCARD_LAZY_PQ is its SONAME). */
#ifdef POSTCARD_LAZY_PQ
#include <libpq-fe.h>

#include "lazylib.h"

static lazylib pq = LAZYLIB_INIT(POSTCARD_LAZY_PQ);

LAZYLIB_FN(pq, void, PQclear, (PGresult * res), (res))
LAZYLIB_FN(pq, char *, PQcmdStatus, (PGresult * res), (res))
LAZYLIB_FN(pq, char *, PQcmdTuples, (PGresult * res), (res))
LAZYLIB_FN(pq, PGconn *, PQconnectdb, (const char *conninfo), (conninfo))
LAZYLIB_FN(pq, char *, PQerrorMessage, (const PGconn *conn), (conn))
LAZYLIB_FN(pq, PGresult *, PQexec, (PGconn * conn, const char *query), (conn, query))
LAZYLIB_FN(pq, PGresult *, PQexecParams,
	   (PGconn * conn, const char *command, int nParams, const Oid *paramTypes,
	    const char *const *paramValues, const int *paramLengths, const int *paramFormats,
	    int resultFormat),
	   (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats,
	    resultFormat))
LAZYLIB_FN(pq, PGresult *, PQexecPrepared,
	   (PGconn * conn, const char *stmtName, int nParams, const char *const *paramValues,
	    const int *paramLengths, const int *paramFormats, int resultFormat),
	   (conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat))
LAZYLIB_FN(pq, void, PQfinish, (PGconn * conn), (conn))
LAZYLIB_FN(pq, int, PQgetisnull, (const PGresult *res, int tup_num, int field_num),
	   (res, tup_num, field_num))
LAZYLIB_FN(pq, int, PQgetlength, (const PGresult *res, int tup_num, int field_num),
	   (res, tup_num, field_num))
LAZYLIB_FN(pq, char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num),
	   (res, tup_num, field_num))
LAZYLIB_FN(pq, int, PQntuples, (const PGresult *res), (res))
LAZYLIB_FN(pq, PGresult *, PQprepare,
	   (PGconn * conn, const char *stmtName, const char *query, int nParams,
	    const Oid *paramTypes),
	   (conn, stmtName, query, nParams, paramTypes))
LAZYLIB_FN(pq, void, PQreset, (PGconn * conn), (conn))
LAZYLIB_FN(pq, char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
LAZYLIB_FN(pq, char *, PQresultErrorMessage, (const PGresult *res), (res))
LAZYLIB_FN(pq, ExecStatusType, PQresultStatus, (const PGresult *res), (res))
LAZYLIB_FN(pq, PQnoticeProcessor, PQsetNoticeProcessor,
	   (PGconn * conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg))
LAZYLIB_FN(pq, ConnStatusType, PQstatus, (const PGconn *conn), (conn))
#else
typedef int postcard_pq_linked_normally; /* an empty file is not valid ISO C */
#endif
