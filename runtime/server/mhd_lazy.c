/* libmicrohttpd linked lazily (author/util/lazylib.h): only serve and preview start a server,
 * and with it come GnuTLS and its eight dependencies, which every other command would otherwise
 * map and relocate at start-up. One stub per function the server calls. Compiled only when
 * cmake/LazyLibrary.cmake links the library this way (POSTCARD_LAZY_MHD is its SONAME). */
#ifdef POSTCARD_LAZY_MHD
#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "lazylib.h"

static lazylib mhd = LAZYLIB_INIT(POSTCARD_LAZY_MHD);

LAZYLIB_FN(mhd, enum MHD_Result, MHD_add_response_header,
	   (struct MHD_Response * response, const char *header, const char *content),
	   (response, header, content))
LAZYLIB_FN(mhd, struct MHD_Response *, MHD_create_response_from_buffer,
	   (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode))
LAZYLIB_FN(mhd, struct MHD_Response *, MHD_create_response_from_callback,
	   (uint64_t size, size_t block_size, MHD_ContentReaderCallback crc, void *crc_cls,
	    MHD_ContentReaderFreeCallback crfc),
	   (size, block_size, crc, crc_cls, crfc))
LAZYLIB_FN(mhd, void, MHD_destroy_response, (struct MHD_Response * response), (response))
LAZYLIB_FN(mhd, const char *, MHD_lookup_connection_value,
	   (struct MHD_Connection * connection, enum MHD_ValueKind kind, const char *key),
	   (connection, kind, key))
LAZYLIB_FN(mhd, enum MHD_Result, MHD_queue_response,
	   (struct MHD_Connection * connection, unsigned int status_code,
	    struct MHD_Response *response),
	   (connection, status_code, response))
LAZYLIB_FN(mhd, void, MHD_resume_connection, (struct MHD_Connection * connection), (connection))
LAZYLIB_FN(mhd, void, MHD_suspend_connection, (struct MHD_Connection * connection),
	   (connection))
LAZYLIB_FN(mhd, void, MHD_stop_daemon, (struct MHD_Daemon * daemon), (daemon))
LAZYLIB_FN(mhd, struct MHD_Daemon *, MHD_start_daemon_va,
	   (unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,
	    MHD_AccessHandlerCallback dh, void *dh_cls, va_list ap),
	   (flags, port, apc, apc_cls, dh, dh_cls, ap))

/* The variadic ones. MHD_start_daemon has a va_list twin. The two info queries read no extra
 * argument for the kinds the server asks (the client address, the bound port), so only the
 * fixed ones are passed on. */
struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
				    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	va_list ap;
	va_start(ap, dh_cls);
	struct MHD_Daemon *d = MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *connection,
							enum MHD_ConnectionInfoType info_type, ...)
{
	static _Atomic(lazylib_fnptr) fn;
	typedef const union MHD_ConnectionInfo *(*info_fn)(struct MHD_Connection *,
							   enum MHD_ConnectionInfoType, ...);
	return ((info_fn)lazylib_fn(&mhd, &fn, "MHD_get_connection_info"))(connection, info_type);
}

const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
						enum MHD_DaemonInfoType info_type, ...)
{
	static _Atomic(lazylib_fnptr) fn;
	typedef const union MHD_DaemonInfo *(*info_fn)(struct MHD_Daemon *, enum MHD_DaemonInfoType,
						       ...);
	return ((info_fn)lazylib_fn(&mhd, &fn, "MHD_get_daemon_info"))(daemon, info_type);
}
#else
typedef int postcard_mhd_linked_normally; /* an empty file is not valid ISO C */
#endif
