/*
 * Drives src/RoleMap.Cli/Native/gc_heap_pages.c the way the runtime's collector does (reserve, trim, MADV_DONTDUMP,
 * commit with mprotect + MADV_DODUMP, decommit by mapping PROT_NONE over it) and checks in /proc/self/smaps what the
 * kernel was asked for. Linked with the same --wrap options as the CLI (NativeMemoryTests). Prints one line per check;
 * exit 0 only when every check held. It calls mmap64, as the runtime does (the symbol the wrap replaces).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB ((uintptr_t)1 << 20)

struct vma { uintptr_t start, end; char perms[8]; char flags[512]; };

static int find_vma(uintptr_t address, struct vma *found)
{
    FILE *smaps = fopen("/proc/self/smaps", "r");
    char line[512];
    int inside = 0;
    if (!smaps) return 0;
    while (fgets(line, sizeof line, smaps))
    {
        unsigned long start, end;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3 && strchr(line, '-') < strchr(line, ' '))
        {
            inside = address >= start && address < end;
            if (inside) { found->start = start; found->end = end; strcpy(found->perms, perms); found->flags[0] = 0; }
        }
        else if (inside && strncmp(line, "VmFlags:", 8) == 0)
        {
            snprintf(found->flags, sizeof found->flags, "%s", line + 8);
            fclose(smaps);
            return 1;
        }
    }
    fclose(smaps);
    return 0;
}

static int has_flag(const struct vma *v, const char *flag)
{
    char padded[8];
    snprintf(padded, sizeof padded, " %s ", flag);
    char flags[520];
    snprintf(flags, sizeof flags, " %s", v->flags);
    char *newline = strchr(flags, '\n');
    if (newline) strcpy(newline, " ");
    return strstr(flags, padded) != NULL;
}

static int failures;

static void check(int ok, const char *what, uintptr_t address)
{
    struct vma v = {0};
    find_vma(address, &v);
    if (ok) printf("ok: %s\n", what);
    else { failures++; printf("FAILED: %s (mapping %lx-%lx %s, flags:%s)\n", what, (unsigned long)v.start, (unsigned long)v.end, v.perms, v.flags); }
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) if (p[i]) return 0;
    return 1;
}

int main(void)
{
    FILE *thp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    int huge_pages = thp != NULL;
    if (thp) fclose(thp);
    printf("transparent huge pages: %s\n", huge_pages ? "supported" : "not supported");

    /* The collector: reserve with room for alignment, trim the head, mark the rest not to be dumped. */
    size_t reserved = 512 * MIB + 2 * MIB;
    unsigned char *raw = mmap64(NULL, reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED) { perror("mmap"); return 2; }
    munmap(raw, 4096);
    unsigned char *heap = raw + 4096;
    size_t heap_size = reserved - 4096;
    madvise(heap, heap_size, MADV_DONTDUMP);
    uintptr_t block = (((uintptr_t)heap + 2 * MIB - 1) & ~(2 * MIB - 1)) + 2 * MIB;
    struct vma v;

    find_vma(block, &v);
    check(has_flag(&v, "hg") == huge_pages, "the heap's reservation is advised for huge pages", block);

    /* A 64 KiB commit in the middle of a block. */
    mprotect((void *)(block + 64 * 1024), 64 * 1024, PROT_READ | PROT_WRITE);
    madvise((void *)(block + 64 * 1024), 64 * 1024, MADV_DODUMP);
    find_vma(block + 64 * 1024, &v);
    if (huge_pages)
    {
        check(v.start == block && v.end == block + 2 * MIB, "a commit is widened to its whole 2 MiB block", block + 64 * 1024);
        check(!has_flag(&v, "dd"), "MADV_DODUMP is widened with it", block + 64 * 1024);
    }
    else
    {
        check(v.start == block + 64 * 1024 && v.end == block + 128 * 1024, "a commit is left as asked", block + 64 * 1024);
    }
    check(strncmp(v.perms, "rw", 2) == 0 && all_zero((unsigned char *)block + 64 * 1024, 64 * 1024), "committed memory is readable, writable and zero", block + 64 * 1024);

    /* A commit across a block boundary (far from the first, so that the mappings do not merge). */
    uintptr_t boundary = block + 16 * MIB;
    mprotect((void *)(boundary - 32 * 1024), 64 * 1024, PROT_READ | PROT_WRITE);
    find_vma(boundary, &v);
    if (huge_pages) check(v.start == boundary - 2 * MIB && v.end == boundary + 2 * MIB, "a commit across a boundary is widened to both blocks", boundary);
    else check(v.start == boundary - 32 * 1024 && v.end == boundary + 32 * 1024, "a commit across a boundary is left as asked", boundary);

    /* The collector's decommit, then a commit of the same memory: zero again, still advised. */
    memset((void *)(block + 64 * 1024), 0x5a, 64 * 1024);
    mmap64((void *)(block + 64 * 1024), 64 * 1024, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)(block + 64 * 1024), 64 * 1024, MADV_DONTDUMP);
    find_vma(block + 64 * 1024, &v);
    check(v.perms[0] == '-' && has_flag(&v, "hg") == huge_pages, "a decommitted range stays advised for huge pages", block + 64 * 1024);
    mprotect((void *)(block + 64 * 1024), 64 * 1024, PROT_READ | PROT_WRITE);
    check(all_zero((unsigned char *)block + 64 * 1024, 64 * 1024), "recommitted memory is zero", block + 64 * 1024);

    /* A smaller reservation (not the heap) is left alone. */
    unsigned char *small = mmap64(NULL, 16 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    madvise(small, 16 * MIB, MADV_DONTDUMP);
    uintptr_t small_block = (((uintptr_t)small + 2 * MIB - 1) & ~(2 * MIB - 1)) + 2 * MIB;
    mprotect((void *)(small_block + 64 * 1024), 64 * 1024, PROT_READ | PROT_WRITE);
    find_vma(small_block + 64 * 1024, &v);
    check(v.start == small_block + 64 * 1024 && v.end == small_block + 128 * 1024 && !has_flag(&v, "hg"), "a commit outside the heap's reservation is left as asked", small_block + 64 * 1024);

    /* Once part of the heap's range is unmapped, nothing is widened any more. */
    munmap(heap + heap_size - 4 * MIB, 4 * MIB);
    uintptr_t later = block + 64 * MIB;
    mprotect((void *)(later + 64 * 1024), 64 * 1024, PROT_READ | PROT_WRITE);
    find_vma(later + 64 * 1024, &v);
    check(v.start == later + 64 * 1024 && v.end == later + 128 * 1024, "after an unmap in the heap's range, a commit is left as asked", later + 64 * 1024);

    /* A large decommit's MADV_DONTDUMP after that does not make the range the heap again. */
    madvise(heap, 300 * MIB, MADV_DONTDUMP);
    uintptr_t again = block + 96 * MIB;
    mprotect((void *)(again + 64 * 1024), 64 * 1024, PROT_READ | PROT_WRITE);
    find_vma(again + 64 * 1024, &v);
    check(v.start == again + 64 * 1024 && v.end == again + 128 * 1024, "a later large MADV_DONTDUMP does not record the range again", again + 64 * 1024);

    return failures == 0 ? 0 : 1;
}
