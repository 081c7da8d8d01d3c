/*
 * Start-up of the native (NativeAOT) rolemap on Linux, linked in by RoleMap.Cli.csproj.
 *
 * The zero-filled tail of the executable's writable segment (.bss: the runtime's statics, caches and, when the
 * type data is stored compressed, the range it is expanded into before main) is otherwise faulted in one 4 KiB page
 * at a time as it is first written, and page faults are expensive on virtual machines. This constructor runs before
 * main and asks the kernel for that range in huge pages where transparent huge pages are allowed, then to fault it
 * all in with one call. Both are hints: on kernels without them (MADV_POPULATE_WRITE is Linux 5.14) madvise fails,
 * nothing changes, and the pages are faulted in as before.
 *
 * It also faults in, writable, the interface dispatch cells of the managed code (about 250 KB of the initialized data,
 * which every interface call updates on its first use). Otherwise each such page is first mapped read-only from the
 * file and then copied on the first write; by then the runtime has started its other threads, and replacing a page
 * that another thread may have cached takes a TLB shootdown (an interrupt to every other CPU running the process),
 * which is costly on virtual machines. Done here, before there is any other thread, it is one call and no
 * interrupts. The cells start at a symbol the NativeAOT compiler emits; the compiler's settings blob follows them.
 * Both are looked up weakly and the range is used only when it looks like the cells, so another compiler version
 * loses only the hint.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static int prefault_zero_filled_tail(struct dl_phdr_info *info, size_t size, void *unused)
{
    (void)size;
    (void)unused;
    const uintptr_t page = 4096;
    for (int i = 0; i < info->dlpi_phnum; i++)
    {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type == PT_LOAD && (segment->p_flags & PF_W) && segment->p_memsz > segment->p_filesz)
        {
            uintptr_t start = (info->dlpi_addr + segment->p_vaddr + segment->p_filesz + page - 1) & ~(page - 1);
            uintptr_t end = (info->dlpi_addr + segment->p_vaddr + segment->p_memsz + page - 1) & ~(page - 1);
            if (end > start)
            {
                madvise((void *)start, end - start, MADV_HUGEPAGE);
                madvise((void *)start, end - start, MADV_POPULATE_WRITE);
            }
        }
    }

    return 1; /* the first object is the executable itself: stop there */
}

extern char __InterfaceDispatchCellSection_Start[] __attribute__((weak));
extern char g_compilerEmbeddedKnobsBlob[] __attribute__((weak));

static void prefault_dispatch_cells(void)
{
    const uintptr_t page = 4096;
    const uintptr_t start = (uintptr_t)__InterfaceDispatchCellSection_Start & ~(page - 1);
    const uintptr_t end = ((uintptr_t)g_compilerEmbeddedKnobsBlob + page - 1) & ~(page - 1);
    if (__InterfaceDispatchCellSection_Start && g_compilerEmbeddedKnobsBlob && end > start && end - start <= 4 * 1024 * 1024)
    {
        madvise((void *)start, end - start, MADV_POPULATE_WRITE);
    }
}

__attribute__((constructor)) static void rolemap_prefault(void)
{
    dl_iterate_phdr(prefault_zero_filled_tail, 0);
    prefault_dispatch_cells();
}
