/*
 * The garbage collector's heap in transparent huge pages (Linux), linked into the native rolemap by
 * RoleMap.Cli.csproj with `-Wl,--wrap=` for mmap64, mprotect, madvise and munmap: the runtime's calls of these come
 * here first and go on to the C library's unchanged, except as below.
 *
 * Why: the collector reserves one large range at start (PROT_NONE, then MADV_DONTDUMP on it) and commits it as the
 * heap grows, 64 KiB at a time (mprotect to read-write, then MADV_DODUMP). Every 4 KiB page of the heap is then
 * faulted in on its first write, and page faults are expensive on virtual machines: on the 22 MB RBAC list, who-can
 * took 14,600 of them, a quarter of its time (docs/benchmarks.md). The kernel maps a 2 MiB huge page instead only when
 * the range is advised (MADV_HUGEPAGE, which the usual "madvise" setting of transparent huge pages requires) and the
 * whole aligned 2 MiB block lies in one mapping with the same protection and flags, which 64 KiB commits never give.
 * So the reservation is advised, and a commit inside it is widened to the aligned 2 MiB blocks it touches.
 *
 * Safe: widening only makes memory the collector has reserved, and not committed yet, readable and writable; the
 * collector never touches such memory before it commits it, so it stays zero as the collector expects (its decommit
 * maps fresh zero pages over the range). Nothing outside the recorded reservation is changed: the range is taken
 * from the collector's own MADV_DONTDUMP of it (after it trimmed its reservation to alignment), shrunk to whole
 * blocks, and forgotten if anything unmaps part of it. Decommits (mmap over it with PROT_NONE, madvise DONTNEED or
 * FREE) pass through; a mapping placed inside the range is advised again so that a later commit can use huge pages.
 * All of it is a hint: where transparent huge pages are off, the kernel maps 4 KiB pages as before, and only the
 * pages written are ever resident.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <sys/types.h>

void *__real_mmap64(void *address, size_t length, int protection, int flags, int fd, off64_t offset);
int __real_mprotect(void *address, size_t length, int protection);
int __real_madvise(void *address, size_t length, int advice);
int __real_munmap(void *address, size_t length);

#define HUGE_PAGE ((uintptr_t)2 << 20)
/* Smaller reservations are not the collector's heap (its bookkeeping tables, other allocators). */
#define SMALLEST_HEAP_RESERVATION ((size_t)256 << 20)

/* The collector's reservation in whole huge pages; zero until it is known and again once anything unmaps part of it.
   Recorded at start-up by the thread that initialises the collector, before any commit; atomics so that another
   thread never sees half of a change. */
static uintptr_t heap_start, heap_end;
/* The last large anonymous PROT_NONE reservation not yet taken for the heap: the range the collector's MADV_DONTDUMP
   must lie in. Cleared once taken, so that a later MADV_DONTDUMP (a decommit) never records a range again. */
static uintptr_t reserved_start, reserved_end;

static int widen_to_huge_pages(uintptr_t *start, uintptr_t *end)
{
    uintptr_t low = __atomic_load_n(&heap_start, __ATOMIC_ACQUIRE);
    uintptr_t high = __atomic_load_n(&heap_end, __ATOMIC_ACQUIRE);
    if (low == 0 || *start < low || *end > high)
    {
        return 0;
    }

    *start &= ~(HUGE_PAGE - 1);
    *end = (*end + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    return 1;
}

void *__wrap_mmap64(void *address, size_t length, int protection, int flags, int fd, off64_t offset)
{
    void *mapped = __real_mmap64(address, length, protection, flags, fd, offset);
    if (mapped == MAP_FAILED || !(flags & MAP_ANONYMOUS) || protection != PROT_NONE)
    {
        return mapped;
    }

    uintptr_t start = (uintptr_t)mapped, end = start + length;
    if (length >= SMALLEST_HEAP_RESERVATION && !(flags & MAP_FIXED))
    {
        reserved_start = start;
        reserved_end = end;
    }
    else if (widen_to_huge_pages(&start, &end))
    {
        /* A decommit replaced part of the heap with a new mapping, which does not inherit the advice. */
        __real_madvise(mapped, length, MADV_HUGEPAGE);
    }

    return mapped;
}

int __wrap_mprotect(void *address, size_t length, int protection)
{
    uintptr_t start = (uintptr_t)address, end = start + length;
    if (protection == (PROT_READ | PROT_WRITE))
    {
        widen_to_huge_pages(&start, &end);
    }

    return __real_mprotect((void *)start, end - start, protection);
}

int __wrap_madvise(void *address, size_t length, int advice)
{
    uintptr_t start = (uintptr_t)address, end = start + length;
    if (advice == MADV_DODUMP)
    {
        /* The flag must be the same over the whole block, as the protection must. */
        widen_to_huge_pages(&start, &end);
    }
    else if (advice == MADV_DONTDUMP && length >= SMALLEST_HEAP_RESERVATION && start >= reserved_start && end <= reserved_end
        && __atomic_load_n(&heap_start, __ATOMIC_ACQUIRE) == 0)
    {
        uintptr_t low = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        uintptr_t high = end & ~(HUGE_PAGE - 1);
        if (high > low && __real_madvise((void *)low, high - low, MADV_HUGEPAGE) == 0)
        {
            reserved_start = reserved_end = 0;
            __atomic_store_n(&heap_end, high, __ATOMIC_RELEASE);
            __atomic_store_n(&heap_start, low, __ATOMIC_RELEASE);
        }
    }

    return __real_madvise((void *)start, end - start, advice);
}

int __wrap_munmap(void *address, size_t length)
{
    uintptr_t start = (uintptr_t)address, end = start + length;
    if (start < __atomic_load_n(&heap_end, __ATOMIC_ACQUIRE) && end > __atomic_load_n(&heap_start, __ATOMIC_ACQUIRE))
    {
        /* Part of the range may belong to someone else from now on: stop widening. */
        __atomic_store_n(&heap_start, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&heap_end, 0, __ATOMIC_RELEASE);
    }

    return __real_munmap(address, length);
}
