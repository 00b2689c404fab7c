/* Heap tuning for the batch commands (see cli.h): asks the kernel for transparent huge pages
 * under malloc's heap. Validating a large package builds a libxml2 tree of some 100,000 small
 * allocations; with 4 KB pages that is about 6,000 page faults, and on the virtual machines this
 * project runs on a fault costs 10-20 us: half of the run's CPU time went to the kernel. With
 * the heap in 2 MB pages the same run takes about 500 faults and half the time (bench/validate.sh).
 * Nothing here changes what the program computes; on a kernel without THP (or in "never" mode)
 * madvise fails and nothing changes at all. */
#include <stdint.h>
#include <stdlib.h>

#include "cli.h"

/* the sanitizers bring their own allocator: mallopt does nothing there */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
	__has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif

#if defined(__GLIBC__) && !defined(SANITIZED)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#if defined(__GLIBC__) && !defined(SANITIZED) && defined(MADV_HUGEPAGE)
#define HUGE_PAGE ((uintptr_t)2 << 20)
/* How far the heap grows at once: a 2 MB manifest needs about 30 MB, and memory that is only
 * reserved costs nothing (a page counts once it is touched). */
#define HEAP_PAD (64 << 20)

void cli_heap_tune(void)
{
	/* blocks up to 32 MB come from the heap too (a manifest's text, the line index), freed
	 * memory stays for reuse instead of going back to the kernel to be faulted in again, and
	 * the helper threads share the heap instead of starting arenas of their own */
	if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) || !mallopt(M_TRIM_THRESHOLD, 256 << 20) ||
	    !mallopt(M_TOP_PAD, HEAP_PAD) || !mallopt(M_ARENA_MAX, 1))
		return;
	char *before = sbrk(0);
	/* more than is left: the heap grows by it and the pad (volatile: the compiler would drop
	 * a malloc/free pair it can see is unused) */
	void *volatile probe = malloc(1 << 20);
	char *after = sbrk(0);
	free(probe);
	if (before == (char *)-1 || after == (char *)-1 || after <= before)
		return; /* no brk heap (malloc fell back to mmap): leave it be */
	uintptr_t lo = ((uintptr_t)before + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t hi = (uintptr_t)after & ~(HUGE_PAGE - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* advice: failure changes nothing */
}
#else
void cli_heap_tune(void)
{
}
#endif
