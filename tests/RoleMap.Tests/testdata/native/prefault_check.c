/*
 * Drives src/RoleMap.Cli/Native/prefault.c: linked into this program as into the CLI, its constructor runs before
 * main. The program has the two things it acts on in a NativeAOT image: a zero-filled tail of the writable segment
 * (a large array in .bss) and the interface dispatch cells, which start at a symbol the compiler emits and end where
 * its settings blob begins (both defined below in assembly, in .data, with the cells' bytes not zero, so that they
 * come from the file). Before touching either, main checks in /proc/self/smaps that both are already resident, the
 * cells as private written (anonymous) copies, and the zero-filled tail advised for huge pages where the kernel has them.
 * Prints one line per check; exit 0 only when every check held (NativeMemoryTests also builds it without prefault.c
 * and expects the residency checks to fail).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)
#define CELLS (64 * KIB)

static char zero_filled[8 * MIB];

__asm__(".data\n"
        ".p2align 12\n"
        ".globl __InterfaceDispatchCellSection_Start\n"
        "__InterfaceDispatchCellSection_Start:\n"
        ".fill 65536, 1, 1\n"
        ".globl g_compilerEmbeddedKnobsBlob\n"
        "g_compilerEmbeddedKnobsBlob:\n"
        ".fill 64, 1, 0\n"
        ".text\n");
extern char __InterfaceDispatchCellSection_Start[];

struct mapping { uintptr_t start, end; size_t rss, anonymous; char flags[512]; };

/* The mapping that holds address, with its sizes in bytes, as /proc/self/smaps reports them. */
static int find_mapping(uintptr_t address, struct mapping *found)
{
    FILE *smaps = fopen("/proc/self/smaps", "r");
    char line[512];
    int inside = 0, done = 0;
    if (!smaps) return 0;
    while (!done && fgets(line, sizeof line, smaps))
    {
        unsigned long start, end, kib;
        if (sscanf(line, "%lx-%lx ", &start, &end) == 2 && strchr(line, '-') < strchr(line, ' '))
        {
            inside = address >= start && address < end;
            if (inside) { memset(found, 0, sizeof *found); found->start = start; found->end = end; }
        }
        else if (inside && sscanf(line, "Rss: %lu kB", &kib) == 1) found->rss = kib * KIB;
        else if (inside && sscanf(line, "Anonymous: %lu kB", &kib) == 1) found->anonymous = kib * KIB;
        else if (inside && strncmp(line, "VmFlags:", 8) == 0)
        {
            snprintf(found->flags, sizeof found->flags, " %s", line + 8);
            char *newline = strchr(found->flags, '\n');
            if (newline) strcpy(newline, " ");
            done = 1;
        }
    }
    fclose(smaps);
    return done;
}

static int failures;

static void check(int ok, const char *what, const struct mapping *m)
{
    if (ok) printf("ok: %s\n", what);
    else
    {
        failures++;
        printf("FAILED: %s (mapping %lx-%lx, Rss %zu, Anonymous %zu, flags:%s)\n", what, (unsigned long)m->start,
            (unsigned long)m->end, m->rss, m->anonymous, m->flags);
    }
}

int main(void)
{
    FILE *thp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    int huge_pages = thp != NULL;
    if (thp) fclose(thp);
    printf("transparent huge pages: %s\n", huge_pages ? "supported" : "not supported");

    /* Read nothing of either range before this: the answers must be the constructor's doing. */
    struct mapping tail, cells;
    uintptr_t middle = ((uintptr_t)zero_filled + sizeof zero_filled / 2) & ~(uintptr_t)4095;
    if (!find_mapping(middle, &tail) || !find_mapping((uintptr_t)__InterfaceDispatchCellSection_Start, &cells))
    {
        printf("FAILED: the mappings are in /proc/self/smaps\n");
        return 2;
    }

    check(tail.rss >= sizeof zero_filled - 8 * KIB, "the zero-filled tail of the writable segment is resident before main", &tail);
    check((strstr(tail.flags, " hg ") != NULL) == huge_pages, "the zero-filled tail is advised for huge pages", &tail);
    /* A file page written through a private mapping becomes an anonymous copy. (Private_Dirty would not do: it also
       counts page-cache pages not yet written back, such as those of a program just built.) */
    check(cells.anonymous >= CELLS, "the dispatch cells are private written copies before main", &cells);
    check(__InterfaceDispatchCellSection_Start[0] == 1 && __InterfaceDispatchCellSection_Start[CELLS - 1] == 1,
        "the dispatch cells keep their contents", &cells);
    check(zero_filled[0] == 0 && zero_filled[sizeof zero_filled - 1] == 0, "the zero-filled tail is zero", &tail);
    return failures == 0 ? 0 : 1;
}
